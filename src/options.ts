import * as v from 'valibot'
import { ConfigError } from './config/config-error.ts'
import {
  DomainSchema,
  GitBranchSchema,
  GitCommitSchema,
  HttpUrlSchema,
  LogLevelSchema,
  ManagementTokenSchema,
  MysqlUrlSchema,
  PackageVersionSchema,
  TrustProxySchema,
} from './config/fields.ts'
import { problemsFromIssues, type SettingLabel, valueAtPath } from './config/problems.ts'
import type { BuildInfo } from './version/build-info.ts'

/** Writes one finished log line; defaults to the console. */
export type LogSink = (line: string) => void

const LogSinkSchema = v.custom<LogSink>(
  (value) => typeof value === 'function',
  'a function (line: string) => void',
)

const PlausibleSchema = v.strictObject({
  enabled: v.optional(v.boolean('true or false'), false),
  url: v.optional(HttpUrlSchema),
  domain: v.optional(DomainSchema),
})

const requiredWhenEnabled = (what: string): string => `set when the relay is enabled (${what})`

export const TelemetryOptionsSchema = v.strictObject({
  /** What GET /version reports; fields left out read "unknown". */
  version: v.optional(
    v.strictObject({
      package: v.optional(PackageVersionSchema),
      git: v.optional(GitCommitSchema),
      branch: v.optional(GitBranchSchema),
    }),
    {},
  ),
  /** The meshStack database; without it there is no database health component. */
  database: v.optional(v.strictObject({ url: MysqlUrlSchema })),
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
  logLevel: v.optional(LogLevelSchema, 'info'),
  log: v.optional(LogSinkSchema),
})

/** Options accepted by `createTelemetryApp`. */
export type TelemetryOptions = v.InferInput<typeof TelemetryOptionsSchema>

type ParsedOptions = v.InferOutput<typeof TelemetryOptionsSchema>
export type PlausibleSettings =
  | { readonly enabled: false }
  | { readonly enabled: true; readonly url: string; readonly domain: string }

/** Options after validation and defaults: what the rest of the module reads. */
export interface ResolvedOptions extends Omit<ParsedOptions, 'version' | 'plausible' | 'log'> {
  readonly version: BuildInfo
  readonly plausible: PlausibleSettings
  readonly log: LogSink
}

const SECRET_OPTIONS: Record<string, SettingLabel['secret']> = {
  managementToken: 'whole',
  'database.url': 'url-password',
}

/** Labels an option path for messages, hiding secrets; the environment reader supplies its own names. */
export const optionLabel = (path: string): SettingLabel => {
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

/** Fills in what validation leaves open; shared with the environment reader, which validates on its own. */
export function completeOptions({ version, plausible, log, ...rest }: ParsedOptions): ResolvedOptions {
  return {
    ...rest,
    version: {
      package: version.package ?? 'unknown',
      git: version.git ?? 'unknown',
      branch: version.branch ?? 'unknown',
    },
    plausible:
      plausible.enabled && plausible.url !== undefined && plausible.domain !== undefined
        ? { enabled: true, url: plausible.url, domain: plausible.domain }
        : { enabled: false },
    log: log ?? ((line) => console.log(line)),
  }
}
