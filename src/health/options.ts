import * as v from 'valibot'
import {
  ComponentNamesSchema,
  integerBetween,
  NonEmptyTextSchema,
  objectMessage,
  type ShowDetails,
  ShowDetailsSchema,
} from '../config/fields.ts'
import type { HealthContributor, HealthContributors } from './health.ts'

const isContributor = (value: unknown): value is HealthContributor =>
  typeof value === 'function' ||
  (typeof value === 'object' && value !== null && Object.values(value).every(isContributor))

const HealthContributorsSchema = v.custom<HealthContributors>(
  (value) => typeof value === 'object' && value !== null && isContributor(value),
  'an object of health indicators (async functions) or nested objects of them',
)

/** The health part of the options: who sees details, timeouts, caching, disk, readiness, custom indicators. */
export interface HealthOptions {
  /** Who sees components and details; by default `when-authorized` once a management token exists, else `always`. */
  showDetails?: ShowDetails | undefined
  /** Longest any indicator may take before it counts as DOWN (1-60000 ms, default 2000). */
  timeoutMs?: number | undefined
  /** How long a result is reused: at most one check per indicator per TTL, however many probes ask (default 1000 ms). */
  cacheTtlMs?: number | undefined
  /** Indicators slower than this are logged at WARN (default 1000 ms). */
  slowThresholdMs?: number | undefined
  /** The `diskSpace` component: the path whose filesystem it measures (`.`), DOWN below `thresholdBytes` (10 MiB). */
  diskSpace?: { path?: string | undefined; thresholdBytes?: number | undefined } | undefined
  /** Root components that readiness also checks; default: `db` when a database is configured. */
  readinessIncludes?: string[] | undefined
  /** Your own checks, by component name; an object of indicators becomes a composite component. */
  indicators?: HealthContributors | undefined
}

export const HealthOptionsSchema = v.strictObject(
  {
    /** Who sees components and details; by default `when-authorized` once a management token exists, else `always`. */
    showDetails: v.optional(ShowDetailsSchema),
    /** Longest any indicator may take before it counts as DOWN. */
    timeoutMs: v.optional(integerBetween(1, 60_000, 'milliseconds'), 2000),
    /** How long a result is reused: at most one check per indicator per TTL, however many probes ask. */
    cacheTtlMs: v.optional(integerBetween(0, 3_600_000, 'milliseconds'), 1000),
    /** Indicators slower than this are logged at WARN. */
    slowThresholdMs: v.optional(integerBetween(1, 60_000, 'milliseconds'), 1000),
    diskSpace: v.optional(
      v.strictObject(
        {
          path: v.optional(NonEmptyTextSchema('a filesystem path'), '.'),
          thresholdBytes: v.optional(integerBetween(0, Number.MAX_SAFE_INTEGER, 'bytes'), 10 * 1024 * 1024),
        },
        objectMessage,
      ),
      {},
    ),
    /** Root components that readiness also checks; default: `db` when a database is configured. */
    readinessIncludes: v.optional(ComponentNamesSchema),
    /** Your own checks, by component name; an object of indicators becomes a composite component. */
    indicators: v.optional(HealthContributorsSchema, {}),
  },
  objectMessage,
)

type ParsedHealthOptions = v.InferOutput<typeof HealthOptionsSchema>

/** The health settings once validated, with their defaults. */
export interface HealthSettings extends ParsedHealthOptions {
  readonly showDetails: NonNullable<ParsedHealthOptions['showDetails']>
}

/**
 * Fills in who sees details: once a management token exists, only its holders unless told otherwise, since a
 * token says the installation keeps management data private; without one, everyone, as before tokens existed.
 * @example completeHealth(parsed, 'a-long-enough-token').showDetails // 'when-authorized'
 */
export function completeHealth(
  health: ParsedHealthOptions,
  managementToken: string | undefined,
): HealthSettings {
  return {
    ...health,
    showDetails: health.showDetails ?? (managementToken === undefined ? 'always' : 'when-authorized'),
  }
}
