import type { Logger } from '../logging/logger.ts'
import type { Health, HealthIndicator } from './health.ts'

export interface IndicatorPolicy {
  /** Longest an indicator may take before it counts as DOWN. */
  readonly timeoutMs: number
  /** Results are reused for this long, so probe storms cannot hammer a dependency. */
  readonly cacheTtlMs: number
  /** Indicators slower than this are logged at WARN. */
  readonly slowThresholdMs: number
}

/** `ConnectionRefusedError: ...` from any thrown value; indicators own their messages, so secrets stay out. */
const describeError = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : `Error: ${String(error)}`

/** A guarded indicator: `check` runs it or shares the run in flight; `current` is its result while that is cached. */
export interface GuardedIndicator {
  readonly check: () => Promise<Health>
  /** `now`: `performance.now()`, read once by a caller that asks several checks. */
  readonly current: (now?: number) => Health | undefined
}

/** A health check gave no answer within its time: reported as DOWN, never awaited further. */
export class HealthCheckTimeoutError extends Error {
  override readonly name = 'HealthCheckTimeoutError'
}

/**
 * Wraps an indicator so it never rejects and never hangs: errors and timeouts become DOWN with an `error`
 * detail. Concurrent callers share one run (single-flight), and its result is reused for `cacheTtlMs`.
 * @example const { check } = guardIndicator('db', mariadbIndicator(client), policy, logger)
 */
export function guardIndicator(
  name: string,
  indicator: HealthIndicator,
  policy: IndicatorPolicy,
  logger: Logger,
): GuardedIndicator {
  let inFlight: Promise<Health> | undefined
  let cached: { readonly health: Health; readonly until: number } | undefined

  const run = async (): Promise<Health> => {
    const started = performance.now()
    const controller = new AbortController()
    let timer: ReturnType<typeof setTimeout> | undefined
    const timedOut = new Promise<Health>((resolve) => {
      timer = setTimeout(() => {
        const error = new HealthCheckTimeoutError(`no answer within ${policy.timeoutMs} ms`)
        controller.abort(error)
        resolve({ status: 'DOWN', details: { error: describeError(error) } })
      }, policy.timeoutMs)
    })
    const checked = indicator(controller.signal).catch(
      (error: unknown): Health => ({ status: 'DOWN', details: { error: describeError(error) } }),
    )
    const health = await Promise.race([checked, timedOut])
    clearTimeout(timer)
    const durationMs = Math.round(performance.now() - started)
    if (durationMs >= policy.slowThresholdMs)
      logger.warn('slow health indicator', { indicator: name, durationMs })
    return health
  }

  const current = (now = performance.now()) =>
    cached !== undefined && now < cached.until ? cached.health : undefined
  return {
    current,
    check: () => {
      const health = current()
      if (health !== undefined) return Promise.resolve(health)
      inFlight ??= run().then((result) => {
        cached = { health: result, until: performance.now() + policy.cacheTtlMs }
        inFlight = undefined
        return result
      })
      return inFlight
    },
  }
}
