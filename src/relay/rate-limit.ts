const MAX_TRACKED_CLIENTS = 10_000

/**
 * A token bucket per client: `perMinute` events on average, bursts up to `burst`. Bounded memory: past
 * 10,000 clients the longest-tracked one is forgotten (and starts with a full bucket again).
 * @example const allow = createRateLimiter({ perMinute: 120, burst: 30 }); allow('203.0.113.9')
 */
export function createRateLimiter({
  perMinute,
  burst,
}: {
  perMinute: number
  burst: number
}): (client: string) => boolean {
  const buckets = new Map<string, { tokens: number; updated: number }>()
  const refillPerMs = perMinute / 60_000
  return (client) => {
    const now = performance.now()
    const bucket = buckets.get(client) ?? { tokens: burst, updated: now }
    bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.updated) * refillPerMs)
    bucket.updated = now
    buckets.delete(client)
    buckets.set(client, bucket)
    if (buckets.size > MAX_TRACKED_CLIENTS) buckets.delete(buckets.keys().next().value as string)
    if (bucket.tokens < 1) return false
    bucket.tokens--
    return true
  }
}
