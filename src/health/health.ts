import type { Status } from './status.ts'

/** What one check found. `details` keep their insertion order in the JSON. */
export interface Health {
  /** UP, DOWN, OUT_OF_SERVICE or UNKNOWN (Spring's), or a status of your own. */
  readonly status: Status
  /** A sentence for people, shown as Spring shows it. */
  readonly description?: string
  /** What the check measured, shown to callers allowed to see details. */
  readonly details?: Readonly<Record<string, unknown>>
}

/**
 * A health check: a plain async function. It should stop work when `signal` aborts; it may reject, which the
 * module reports as DOWN with an `error` detail.
 * @example const broker: HealthIndicator = async () => ({ status: 'UP', details: { version: '1.0.2' } })
 */
export type HealthIndicator = (signal: AbortSignal) => Promise<Health>

/** An indicator, or a named group of them that is reported as one composite component. */
export type HealthContributor = HealthIndicator | { readonly [name: string]: HealthContributor }

/** Which checks a health endpoint runs: component name to contributor. */
export type HealthContributors = Readonly<Record<string, HealthContributor>>
