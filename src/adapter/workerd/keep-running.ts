import type { KeepRunning } from '../../runtime/ports.ts'

/** Longer than any work a request hands on may take; the timer is cleared when the work settles. */
const HOLD_MS = 2 ** 31 - 1

/**
 * `waitUntil`, plus a timer of the request's own while the work is unsettled. workerd cancels a request as hung once
 * nothing of its own is pending (no I/O, no timer), even while `waitUntil` waits: a relay event waiting for a free
 * sending slot waits on a promise another request resolves, and would be cancelled with its event.
 * @example keepRunning(c, forwarding.offer(job))
 */
export const workerdKeepRunning: KeepRunning = (c, work) => {
  const hold = setTimeout(() => {}, HOLD_MS)
  c.executionCtx.waitUntil(work.finally(() => clearTimeout(hold)))
}
