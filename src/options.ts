import * as v from 'valibot'
import { ConfigError } from './config/config-error.ts'
import {
  GitBranchSchema,
  GitCommitSchema,
  type LogLevel,
  LogLevelSchema,
  ManagementTokenSchema,
  objectMessage,
  PackageVersionSchema,
  type TrustProxy,
  TrustProxySchema,
} from './config/fields.ts'
import { problemsFromIssues, type SettingLabel, valueAtPath } from './config/problems.ts'
import { secretAt } from './config/secrets.ts'
import { type DatabaseOptions, DatabaseOptionsSchema } from './database/options.ts'
import {
  completeHealth,
  type HealthOptions,
  HealthOptionsSchema,
  type HealthSettings,
} from './health/options.ts'
import type { LogSink } from './logging/logger.ts'
import { type MetricsOptions, MetricsOptionsSchema, PSEUDONYM_KEY } from './metrics/options.ts'
import {
  completeRemoteWrite,
  type EnabledRemoteWriteSettings,
  type RemoteWriteOptions,
  RemoteWriteSchema,
} from './push/options.ts'
import {
  completePlausible,
  type PlausibleOptions,
  PlausibleSchema,
  type PlausibleSettings,
} from './relay/options.ts'
import { type BuildInfo, completeBuildInfo, type PartialBuildInfo } from './version/build-info.ts'

const LogSinkSchema = v.custom<LogSink>(
  (value) => typeof value === 'function',
  'a function (line: string) => void',
)

export const TelemetryOptionsSchema = v.pipe(
  v.strictObject(
    {
      /** What GET /version reports; fields left out read "unknown". */
      version: v.optional(
        v.strictObject(
          {
            package: v.optional(PackageVersionSchema),
            git: v.optional(GitCommitSchema),
            branch: v.optional(GitBranchSchema),
          },
          objectMessage,
        ),
        {},
      ),
      database: v.optional(DatabaseOptionsSchema),
      health: v.optional(HealthOptionsSchema, {}),
      /** Bearer token that protected management endpoints require. */
      managementToken: v.optional(ManagementTokenSchema),
      /** The usage and feedback relay to a central Plausible server; off unless enabled. */
      plausible: v.optional(PlausibleSchema, {}),
      /** Which proxies in front of this server may tell the client's address in X-Forwarded-For. */
      trustProxy: v.optional(TrustProxySchema, false),
      metrics: v.optional(MetricsOptionsSchema, {}),
      /** Pushing the metrics to the central monitoring system (Prometheus remote write); off without a URL. */
      remoteWrite: v.optional(RemoteWriteSchema, {}),
      logLevel: v.optional(LogLevelSchema, 'info'),
      log: v.optional(LogSinkSchema),
    },
    objectMessage,
  ),
  v.forward(
    v.partialCheck(
      [['health', 'showDetails'], ['managementToken']],
      ({ health, managementToken }) =>
        health?.showDetails !== 'when-authorized' || managementToken !== undefined,
      'always or never unless a management token is set (when-authorized compares callers against it)',
    ),
    ['health', 'showDetails'],
  ),
  v.forward(
    v.partialCheck(
      [
        ['metrics', 'customerLabels'],
        ['metrics', 'pseudonymKey'],
        ['metrics', 'sql'],
      ],
      ({ metrics }) =>
        metrics?.customerLabels !== 'pseudonymize' ||
        metrics.pseudonymKey !== undefined ||
        !(metrics.sql ?? []).some((metric) => Object.values(metric.labels ?? {}).includes('customer')),
      `${PSEUDONYM_KEY}, set because metrics have customer labels to pseudonymize (or choose keep or drop)`,
    ),
    ['metrics', 'pseudonymKey'],
  ),
  v.forward(
    v.partialCheck(
      [
        ['remoteWrite', 'url'],
        ['remoteWrite', 'installationId'],
      ],
      ({ remoteWrite }) => remoteWrite?.url === undefined || remoteWrite.installationId !== undefined,
      'set when metrics are pushed (remoteWrite.url): it names the installation the series come from',
    ),
    ['remoteWrite', 'installationId'],
  ),
  v.forward(
    v.partialCheck(
      [
        ['remoteWrite', 'url'],
        ['remoteWrite', 'token'],
      ],
      ({ remoteWrite }) =>
        remoteWrite?.token === undefined ||
        remoteWrite.url === undefined ||
        new URL(remoteWrite.url).username === '',
      'unset when the URL carries a user and password: one way to authenticate, not two',
    ),
    ['remoteWrite', 'token'],
  ),
  v.forward(
    v.partialCheck(
      [['metrics', 'sql'], ['database']],
      ({ metrics, database }) => (metrics?.sql ?? []).length === 0 || database !== undefined,
      'empty unless a database is configured: the queries run against it',
    ),
    ['metrics', 'sql'],
  ),
)

/**
 * Options accepted by `createTelemetryApp`, each feature's in its own key; every one is optional. Validated when the
 * app is created: a `ConfigError` names every bad option by its path.
 */
export interface TelemetryOptions {
  /** What GET /version reports (a commit of 7 to 40 hex characters is shown as its first 10); left out: "unknown". */
  version?: PartialBuildInfo | undefined
  /** The meshStack database; without it there is no database health component and no database metrics. */
  database?: DatabaseOptions | undefined
  /** Who sees health details, the checks' timeouts and caching, the disk check, readiness, your own indicators. */
  health?: HealthOptions | undefined
  /** Bearer token (at least 16 characters) that the metrics and management endpoints then require. */
  managementToken?: string | undefined
  /** The usage and feedback relay to a central Plausible server; off unless enabled. */
  plausible?: PlausibleOptions | undefined
  /** Which proxies in front of this server may tell the client's address in X-Forwarded-For (default false). */
  trustProxy?: TrustProxy | undefined
  /** The `application` label, the customer-label policy and the metrics defined by SQL. */
  metrics?: MetricsOptions | undefined
  /** Pushing the metrics to the central monitoring system (Prometheus remote write); off without a URL. */
  remoteWrite?: RemoteWriteOptions | undefined
  /** Default `info`: one line per request. */
  logLevel?: LogLevel | undefined
  /** Where the JSON log lines go; default `console.log`. */
  log?: LogSink | undefined
}

type ParsedOptions = v.InferOutput<typeof TelemetryOptionsSchema>

/** Options after validation and defaults: what the rest of the module reads. */
export interface ResolvedOptions
  extends Omit<ParsedOptions, 'version' | 'health' | 'plausible' | 'remoteWrite' | 'log'> {
  readonly version: BuildInfo
  readonly health: HealthSettings
  readonly plausible: PlausibleSettings
  /** Undefined when metrics are not pushed. */
  readonly remoteWrite: EnabledRemoteWriteSettings | undefined
  readonly log: LogSink
}

/** Labels an option path for messages, hiding secrets; the environment reader supplies its own names. */
const optionLabel = (path: string): SettingLabel => {
  const secret = secretAt(path)
  return secret ? { name: path, secret } : { name: path || 'options' }
}

/**
 * Validates options once, at the boundary, and fills in defaults. Throws a `ConfigError` listing every problem.
 * @example resolveOptions({ plausible: { enabled: false } }).logLevel // 'info'
 */
export function resolveOptions(input: TelemetryOptions = {}): ResolvedOptions {
  const result = v.safeParse(TelemetryOptionsSchema, input)
  if (!result.success) {
    const problems = problemsFromIssues(result.issues, optionLabel, (path) => valueAtPath(input, path))
    throw new ConfigError('create the telemetry app', problems)
  }
  return completeOptions(result.output)
}

/** Fills in what validation leaves open; shared with the standalone server's reader, which validates on its own. */
export function completeOptions({
  version,
  health,
  plausible,
  remoteWrite,
  log,
  ...rest
}: ParsedOptions): ResolvedOptions {
  return {
    ...rest,
    version: completeBuildInfo(version),
    health: completeHealth(health, rest.managementToken),
    plausible: completePlausible(plausible),
    remoteWrite: completeRemoteWrite(remoteWrite),
    log: log ?? ((line) => console.log(line)),
  }
}
