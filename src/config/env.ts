import * as v from 'valibot'
import { completeOptions, type ResolvedOptions, TelemetryOptionsSchema } from '../options.ts'
import type { PartialBuildInfo } from '../version/build-info.ts'
import { ConfigError } from './config-error.ts'
import { HostSchema, PortSchema, ShutdownTimeoutSchema } from './fields.ts'
import { problemsFromIssues, type SettingLabel } from './problems.ts'

/** Environment variables as the process sees them. */
export type Env = Readonly<Record<string, string | undefined>>

/** Where and how the standalone server listens. */
export interface ServerSettings {
  readonly port: number
  readonly host: string
  readonly shutdownTimeoutMs: number
  /** How long readiness reports OUT_OF_SERVICE while still serving, before the server stops accepting. */
  readonly shutdownDelayMs: number
}

/** Contents of files that variables point to, read by the caller (the core reads no files). */
export interface StandaloneFiles {
  /** The parsed JSON of METRICS_SQL_FILE: `{ "metrics": [...] }`. */
  readonly metricsSql?: unknown
}

/** Everything the standalone server needs, read from the environment. */
export interface StandaloneConfig {
  readonly server: ServerSettings
  readonly telemetry: ResolvedOptions
  /** The build info values given explicitly; the rest is discovered from the checkout. */
  readonly versionOverrides: PartialBuildInfo
}

const StandaloneConfigSchema = v.object({
  server: v.object({
    port: v.optional(PortSchema, 8080),
    host: v.optional(HostSchema, '0.0.0.0'),
    shutdownTimeoutMs: v.optional(ShutdownTimeoutSchema, 10_000),
    shutdownDelayMs: v.optional(ShutdownTimeoutSchema, 0),
  }),
  telemetry: TelemetryOptionsSchema,
})

/** Every variable, by the option path it sets; README.md documents each with its default. */
const VARIABLES: Record<string, SettingLabel & { readonly detail?: boolean }> = {
  'server.port': { name: 'PORT' },
  'server.host': { name: 'HOST' },
  'server.shutdownTimeoutMs': { name: 'SHUTDOWN_TIMEOUT_MS' },
  'server.shutdownDelayMs': { name: 'SHUTDOWN_DELAY_MS' },
  'telemetry.database.url': { name: 'DATABASE_URL', secret: 'url-password' },
  'telemetry.database.validationQuery': { name: 'DATABASE_VALIDATION_QUERY' },
  'telemetry.database.showHost': { name: 'DATABASE_SHOW_HOST' },
  'telemetry.database.connectionLimit': { name: 'DATABASE_CONNECTION_LIMIT' },
  'telemetry.health.showDetails': { name: 'HEALTH_SHOW_DETAILS' },
  'telemetry.health.timeoutMs': { name: 'HEALTH_TIMEOUT_MS' },
  'telemetry.health.cacheTtlMs': { name: 'HEALTH_CACHE_TTL_MS' },
  'telemetry.health.slowThresholdMs': { name: 'HEALTH_SLOW_THRESHOLD_MS' },
  'telemetry.health.diskSpace.path': { name: 'HEALTH_DISK_PATH' },
  'telemetry.health.diskSpace.thresholdBytes': { name: 'HEALTH_DISK_THRESHOLD_BYTES' },
  'telemetry.health.readinessIncludes': { name: 'HEALTH_READINESS_INCLUDE' },
  'telemetry.managementToken': { name: 'MANAGEMENT_TOKEN', secret: 'whole' },
  'telemetry.plausible.enabled': { name: 'PLAUSIBLE_ENABLED' },
  'telemetry.plausible.url': { name: 'PLAUSIBLE_URL' },
  'telemetry.plausible.domain': { name: 'PLAUSIBLE_DOMAIN' },
  'telemetry.plausible.events': { name: 'PLAUSIBLE_EVENTS' },
  'telemetry.plausible.routes': { name: 'PLAUSIBLE_ROUTES' },
  'telemetry.plausible.queryAllowlist': { name: 'PLAUSIBLE_QUERY_ALLOWLIST' },
  'telemetry.plausible.queueSize': { name: 'PLAUSIBLE_QUEUE_SIZE' },
  'telemetry.plausible.concurrency': { name: 'PLAUSIBLE_CONCURRENCY' },
  'telemetry.plausible.timeoutMs': { name: 'PLAUSIBLE_TIMEOUT_MS' },
  'telemetry.plausible.retryWindowMs': { name: 'PLAUSIBLE_RETRY_WINDOW_MS' },
  'telemetry.plausible.rateLimitPerMinute': { name: 'PLAUSIBLE_RATE_LIMIT_PER_MINUTE' },
  'telemetry.plausible.rateLimitBurst': { name: 'PLAUSIBLE_RATE_LIMIT_BURST' },
  'telemetry.trustProxy': { name: 'TRUST_PROXY' },
  'telemetry.version.package': { name: 'APP_VERSION' },
  'telemetry.version.git': { name: 'GIT_COMMIT' },
  'telemetry.version.branch': { name: 'GIT_BRANCH' },
  'telemetry.logLevel': { name: 'LOG_LEVEL' },
  'telemetry.metrics.customerLabels': { name: 'METRICS_CUSTOMER_LABELS' },
  'telemetry.metrics.pseudonymKey': { name: 'METRICS_PSEUDONYM_KEY', secret: 'whole' },
  'telemetry.metrics.sql': { name: 'METRICS_SQL_FILE', detail: true },
}

/**
 * Matches `telemetry.trustProxy.2` to TRUST_PROXY: a problem inside a value belongs to its variable. Inside a
 * file the variable names, the place in the file is added: `METRICS_SQL_FILE at metrics.1.name`.
 */
function variableOf(path: string): SettingLabel {
  for (let prefix = path; prefix !== ''; prefix = prefix.slice(0, Math.max(prefix.lastIndexOf('.'), 0))) {
    const label = VARIABLES[prefix]
    if (label === undefined) continue
    const inside = path.slice(prefix.length + 1)
    return label.detail && inside !== '' ? { name: `${label.name} at metrics.${inside}` } : label
  }
  return { name: path }
}

/**
 * Reads and validates the environment in one pass; throws a `ConfigError` naming every bad variable.
 * Empty variables count as unset.
 * @example readStandaloneConfig({ PORT: '9090' }).server.port // 9090
 */
export function readStandaloneConfig(env: Env, files: StandaloneFiles = {}): StandaloneConfig {
  const get = (name: string): string | undefined => (env[name]?.trim() === '' ? undefined : env[name]?.trim())
  const database = dropUndefined({
    url: get('DATABASE_URL'),
    validationQuery: get('DATABASE_VALIDATION_QUERY'),
    showHost: boolean(get('DATABASE_SHOW_HOST')),
    connectionLimit: numeric(get('DATABASE_CONNECTION_LIMIT')),
  })
  const versionOverrides = dropUndefined({
    package: get('APP_VERSION'),
    git: get('GIT_COMMIT'),
    branch: get('GIT_BRANCH'),
  })
  // Values are only coerced here; anything that does not coerce stays a string so the shared rules
  // reject it and the message quotes what the user wrote.
  const candidate = {
    server: dropUndefined({
      port: numeric(get('PORT')),
      host: get('HOST'),
      shutdownTimeoutMs: numeric(get('SHUTDOWN_TIMEOUT_MS')),
      shutdownDelayMs: numeric(get('SHUTDOWN_DELAY_MS')),
    }),
    telemetry: dropUndefined({
      version: versionOverrides,
      // Any DATABASE_* variable without DATABASE_URL is reported as a missing URL rather than ignored.
      database: Object.keys(database).length === 0 ? undefined : database,
      health: dropUndefined({
        showDetails: get('HEALTH_SHOW_DETAILS'),
        timeoutMs: numeric(get('HEALTH_TIMEOUT_MS')),
        cacheTtlMs: numeric(get('HEALTH_CACHE_TTL_MS')),
        slowThresholdMs: numeric(get('HEALTH_SLOW_THRESHOLD_MS')),
        diskSpace: dropUndefined({
          path: get('HEALTH_DISK_PATH'),
          thresholdBytes: numeric(get('HEALTH_DISK_THRESHOLD_BYTES')),
        }),
        readinessIncludes: list(get('HEALTH_READINESS_INCLUDE')),
      }),
      managementToken: get('MANAGEMENT_TOKEN'),
      plausible: dropUndefined({
        enabled: boolean(get('PLAUSIBLE_ENABLED')),
        url: get('PLAUSIBLE_URL'),
        domain: get('PLAUSIBLE_DOMAIN'),
        events: eventAllowlist(get('PLAUSIBLE_EVENTS')),
        routes: list(get('PLAUSIBLE_ROUTES')),
        queryAllowlist: list(get('PLAUSIBLE_QUERY_ALLOWLIST')),
        queueSize: numeric(get('PLAUSIBLE_QUEUE_SIZE')),
        concurrency: numeric(get('PLAUSIBLE_CONCURRENCY')),
        timeoutMs: numeric(get('PLAUSIBLE_TIMEOUT_MS')),
        retryWindowMs: numeric(get('PLAUSIBLE_RETRY_WINDOW_MS')),
        rateLimitPerMinute: numeric(get('PLAUSIBLE_RATE_LIMIT_PER_MINUTE')),
        rateLimitBurst: numeric(get('PLAUSIBLE_RATE_LIMIT_BURST')),
      }),
      trustProxy: trustProxy(get('TRUST_PROXY')),
      metrics: dropUndefined({
        customerLabels: get('METRICS_CUSTOMER_LABELS'),
        pseudonymKey: get('METRICS_PSEUDONYM_KEY'),
        sql: metricsOf(files.metricsSql),
      }),
      logLevel: get('LOG_LEVEL'),
    }),
  }
  const result = v.safeParse(StandaloneConfigSchema, candidate)
  if (!result.success) {
    const problems = problemsFromIssues(result.issues, variableOf, (path) => get(variableOf(path).name))
    throw new ConfigError('start', problems)
  }
  const { server, telemetry } = result.output
  return { server, telemetry: completeOptions(telemetry), versionOverrides: telemetry.version }
}

/** `{ "metrics": [...] }` gives its list; anything else is passed on for the schema to reject. */
const metricsOf = (file: unknown): unknown =>
  typeof file === 'object' && file !== null && 'metrics' in file ? file.metrics : file

const numeric = (text: string | undefined): number | string | undefined =>
  text !== undefined && /^-?\d+$/.test(text) ? Number(text) : text

function boolean(text: string | undefined): boolean | string | undefined {
  const lower = text?.toLowerCase()
  return lower === 'true' ? true : lower === 'false' ? false : text
}

const list = (text: string | undefined): string[] | undefined =>
  text
    ?.split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')

/**
 * `Signup:plan,Feedback:rating|topic|message`: accepted events and their props. Page views are always
 * accepted, so the list adds custom events.
 */
function eventAllowlist(text: string | undefined): Record<string, string[]> | undefined {
  if (text === undefined) return undefined
  const events: Record<string, string[]> = { pageview: [] }
  for (const entry of list(text) ?? []) {
    const [name = '', props = ''] = entry.split(':')
    events[name.trim()] = props
      .split('|')
      .map((prop) => prop.trim())
      .filter(Boolean)
  }
  return events
}

function trustProxy(text: string | undefined): false | number | string | string[] | undefined {
  if (text === undefined || text.toLowerCase() === 'false') return text === undefined ? undefined : false
  if (/^\d+$/.test(text)) return Number(text)
  // "true" would trust any client to name its own address, which is never what is meant.
  if (text.toLowerCase() === 'true') return text
  return list(text)
}

function dropUndefined<T extends Record<string, unknown>>(
  record: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>
  }
}
