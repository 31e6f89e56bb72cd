import type { LogFields, WriteLine } from './logger.ts'

/** One line per key per interval: a failure that repeats a thousand times a second must not flood the log. */
export interface RateLimitedLog {
  /**
   * Counts one occurrence of `key`. The first in an interval is written at once, with `count: 1`; the others are
   * counted and written together as the interval ends, with the fields of the latest, their `count` and `sinceMs`
   * (the time since the previous line of `key`). Keys come from a small fixed set: one count is kept per key.
   */
  write(key: string, message: string, fields?: LogFields): void
  /** Writes every count not written yet, and stops waiting for intervals to end. */
  flush(): void
}

interface Interval {
  /** When the last line of the key was written. */
  readonly startedAt: number
  readonly timer: ReturnType<typeof setTimeout>
  count: number
  message: string
  fields: LogFields | undefined
}

/**
 * Writes through `writeLine` (a logger's `warn`) at most one line per key per `intervalMs`, each with the count of
 * occurrences since the previous line of its key, so no occurrence goes unreported.
 * @example const log = createRateLimitedLog(logger.warn); log.write('timeout', 'relay send failed', { reason: 'timeout' })
 */
export function createRateLimitedLog(writeLine: WriteLine, intervalMs = 60_000): RateLimitedLog {
  const open = new Map<string, Interval>()

  const start = (key: string, message: string, fields: LogFields | undefined): void => {
    const timer = setTimeout(() => end(key), intervalMs)
    // Where timers can be unreferenced (Node, Bun), a pending count does not keep the process up for a minute.
    ;(timer as { unref?: () => void }).unref?.()
    open.set(key, { startedAt: performance.now(), timer, count: 0, message, fields })
  }

  const report = (interval: Interval): void =>
    writeLine(interval.message, {
      ...interval.fields,
      count: interval.count,
      sinceMs: Math.round(performance.now() - interval.startedAt),
    })

  const end = (key: string): void => {
    const interval = open.get(key)
    open.delete(key)
    if (interval === undefined || interval.count === 0) return
    report(interval)
    // A line was just written: occurrences in the next interval wait for its end too.
    start(key, interval.message, interval.fields)
  }

  return {
    write(key, message, fields) {
      // An interval whose timer has not ended it by now never will: workerd ends a timer with its request.
      const due = open.get(key)
      if (due !== undefined && performance.now() - due.startedAt >= intervalMs) {
        clearTimeout(due.timer)
        end(key)
      }
      const interval = open.get(key)
      if (interval === undefined) {
        writeLine(message, { ...fields, count: 1 })
        start(key, message, fields)
        return
      }
      interval.count++
      interval.message = message
      interval.fields = fields
    },
    flush() {
      for (const interval of open.values()) {
        clearTimeout(interval.timer)
        if (interval.count > 0) report(interval)
      }
      open.clear()
    },
  }
}
