import * as v from 'valibot'
import { ConfigError } from './config/config-error.ts'
import {
  GitBranchSchema,
  GitCommitSchema,
  integerBetween,
  LogLevelSchema,
  ManagementTokenSchema,
  MysqlUrlSchema,
  NonEmptyTextSchema,
  objectMessage,
  PackageVersionSchema,
  TrustProxySchema,
} from './config/fields.ts'
import { problemsFromIssues, type SettingLabel, valueAtPath } from './config/problems.ts'
import { completeHealth, HealthOptionsSchema, type HealthSettings } from './health/options.ts'
import type { LogSink } from './logging/logger.ts'
import { MetricsOptionsSchema, PSEUDONYM_KEY } from './metrics/options.ts'
import { completeRemoteWrite, type EnabledRemoteWriteSettings, RemoteWriteSchema } from './push/options.ts'
import { completePlausible, PlausibleSchema, type PlausibleSettings } from './relay/options.ts'
import { type BuildInfo, completeBuildInfo } from './version/build-info.ts'

const LogSinkSchema = v.custom<LogSink>(
  (value) => typeof value === 'function',
  'a function (line: string) => void',
)

const requiredWhenEnabled = (what: string): string => `set when the relay is enabled (${what})`

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
      /** The meshStack database; without it there is no database health component. */
      database: v.optional(
        v.strictObject(
          {
            url: MysqlUrlSchema,
            validationQuery: v.optional(
              NonEmptyTextSchema('an SQL query returning one value, like "SELECT 1"'),
              'SELECT 1',
            ),
            /** Name the host in health errors; off because host names tell an attacker where to go. */
            showHost: v.optional(v.boolean('true or false'), false),
            connectionLimit: v.optional(integerBetween(1, 100, 'connections'), 4),
          },
          objectMessage,
        ),
      ),
      health: v.optional(HealthOptionsSchema, {}),
      /** Bearer token that protected management endpoints require. */
      managementToken: v.optional(ManagementTokenSchema),
      /** The usage and feedback relay to a central Plausible server; off unless enabled. */
      plausible: v.optional(
        v.pipe(
          PlausibleSchema,
          v.forward(
            v.partialCheck(
              [['enabled'], ['url']],
              ({ enabled, url }) => !enabled || url !== undefined,
              requiredWhenEnabled('the central Plausible server'),
            ),
            ['url'],
          ),
          v.forward(
            v.partialCheck(
              [['enabled'], ['domain']],
              ({ enabled, domain }) => !enabled || domain !== undefined,
              requiredWhenEnabled('the site domain registered there'),
            ),
            ['domain'],
          ),
        ),
        {},
      ),
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

/** Options accepted by `createTelemetryApp`. */
export type TelemetryOptions = v.InferInput<typeof TelemetryOptionsSchema>

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

const SECRET_OPTIONS: Record<string, SettingLabel['secret']> = {
  managementToken: 'whole',
  'metrics.pseudonymKey': 'whole',
  'database.url': 'url-password',
  'plausible.url': 'url-password',
  'remoteWrite.url': 'url-password',
  'remoteWrite.token': 'whole',
}

/** Labels an option path for messages, hiding secrets; the environment reader supplies its own names. */
const optionLabel = (path: string): SettingLabel => {
  const secret = SECRET_OPTIONS[path]
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
