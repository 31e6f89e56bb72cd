import ipaddr from 'ipaddr.js'

const MAX_TRACKED_CLIENTS = 10_000

/**
 * Whose bucket an address draws from: an IPv4 address its own, an IPv6 address its /64. One household or host is
 * usually given a whole /64, so a bucket per IPv6 address would be evaded by counting up the last bits.
 */
function bucketOf(client: string): string {
  if (!client.includes(':')) return client
  const [a, b, c, d] = ipaddr.IPv6.parse(client).parts
  return `${[a, b, c, d].map((part) => (part ?? 0).toString(16)).join(':')}::/64`
}

/**
 * A token bucket per client (per /64 for IPv6): `perMinute` events on average, bursts up to `burst`. Bounded memory:
 * past 10,000 clients the longest-tracked one is forgotten (and starts with a full bucket again).
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
    const key = bucketOf(client)
    const now = performance.now()
    const bucket = buckets.get(key) ?? { tokens: burst, updated: now }
    bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.updated) * refillPerMs)
    bucket.updated = now
    buckets.delete(key)
    buckets.set(key, bucket)
    if (buckets.size > MAX_TRACKED_CLIENTS) buckets.delete(buckets.keys().next().value as string)
    if (bucket.tokens < 1) return false
    bucket.tokens--
    return true
  }
}
