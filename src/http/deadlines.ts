/** What a read given up at its deadline resolves with. */
export const TIMED_OUT: unique symbol = Symbol('timed out')

interface Pending {
  readonly started: number
  readonly expire: () => void
}

/**
 * Deadlines for many concurrent reads kept by one coarse timer, not one timer each: a read is given up between
 * `timeoutMs` and 1.1 × `timeoutMs` after it started, and the timer runs only while reads are pending. A timer per
 * send cost the relay's outbound client milliseconds of p99 (see `sharedTimeouts` in relay/client.ts).
 * @example const within = createDeadlines(5000); const text = await within(request.text()) // or TIMED_OUT
 */
export function createDeadlines(timeoutMs: number): <T>(work: Promise<T>) => Promise<T | typeof TIMED_OUT> {
  const tickMs = Math.max(1, Math.ceil(timeoutMs / 10))
  // Insertion order is start order, so a sweep stops at the first read still within its time.
  const pending = new Set<Pending>()
  let nextSweep = Number.NEGATIVE_INFINITY
  const schedule = (now: number) => {
    nextSweep = now + tickMs
    setTimeout(sweep, tickMs)
  }
  const sweep = () => {
    const now = performance.now()
    for (const entry of pending) {
      if (entry.started > now - timeoutMs) break
      pending.delete(entry)
      entry.expire()
    }
    if (pending.size > 0) schedule(now)
    else nextSweep = Number.NEGATIVE_INFINITY
  }
  return <T>(work: Promise<T>) =>
    new Promise<T | typeof TIMED_OUT>((resolve, reject) => {
      const entry: Pending = { started: performance.now(), expire: () => resolve(TIMED_OUT) }
      pending.add(entry)
      // None scheduled, or one overdue: an edge runtime drops a request's timers once it has been answered.
      if (entry.started > nextSweep + tickMs) schedule(entry.started)
      // Not Promise.race with a promise per deadline: that costs Node half as much again.
      work.then(
        (value) => {
          pending.delete(entry)
          resolve(value)
        },
        (error: unknown) => {
          pending.delete(entry)
          reject(error)
        },
      )
    })
}
