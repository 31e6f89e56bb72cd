import * as v from 'valibot'
import { type Env, readVariables } from '../config/environment.ts'
import { HostSchema, PortSchema, ShutdownTimeoutSchema } from '../config/fields.ts'
import { ProxySchema, type ProxySettings } from '../config/proxy.ts'
import {
  completeOptions,
  type ResolvedOptions,
  type TelemetryOptions,
  TelemetryOptionsSchema,
} from '../options.ts'
import type { PartialBuildInfo } from '../version/build-info.ts'
import { VARIABLES } from './variables.ts'

/** Where and how the standalone server listens. */
export interface ServerSettings {
  readonly port: number
  readonly host: string
  readonly shutdownTimeoutMs: number
  /** How long readiness reports OUT_OF_SERVICE while still serving, before the server stops accepting. */
  readonly shutdownDelayMs: number
  /** On Deno, serve behind the front that keeps Node's connection timeouts (`ListenSettings`). */
  readonly denoConnectionTimeouts: boolean
}

/** Everything the standalone server needs, read from the environment. */
export interface StandaloneConfig {
  readonly server: ServerSettings
  readonly telemetry: ResolvedOptions
  /** The build info values given explicitly; the rest is discovered from the checkout. */
  readonly versionOverrides: PartialBuildInfo
  /** The forward proxy for outbound requests. */
  readonly proxy: ProxySettings
}

const StandaloneConfigSchema = v.object({
  server: v.optional(
    v.object({
      port: v.optional(PortSchema, 8080),
      host: v.optional(HostSchema, '0.0.0.0'),
      shutdownTimeoutMs: v.optional(ShutdownTimeoutSchema, 10_000),
      shutdownDelayMs: v.optional(ShutdownTimeoutSchema, 0),
      denoConnectionTimeouts: v.optional(v.boolean(), false),
    }),
    {},
  ),
  telemetry: v.optional(TelemetryOptionsSchema, {}),
  proxy: v.optional(ProxySchema, {}),
})

/**
 * Reads and validates the environment in one pass (the variables in `VARIABLES`); throws a `ConfigError` naming
 * every bad variable. Empty variables count as unset; `files` holds the parsed content of file variables
 * (`METRICS_SQL_FILE`), read by the caller.
 * @example readStandaloneConfig({ PORT: '9090' }).server.port // 9090
 */
export function readStandaloneConfig(
  env: Env,
  files: Readonly<Record<string, unknown>> = {},
): StandaloneConfig {
  const { server, telemetry, proxy } = readEnvironment(env, files)
  return { server, telemetry: completeOptions(telemetry), versionOverrides: telemetry.version, proxy }
}

/**
 * The standalone server's variables (README, Configuration) read as options for `createTelemetryApp`, for a host
 * configured the same way. Throws a `ConfigError` naming every bad variable.
 * @example createTelemetryApp({ ...optionsFromEnvironment(process.env), version: await discoverBuildInfo(read) })
 */
export function optionsFromEnvironment(
  env: Env,
  files: Readonly<Record<string, unknown>> = {},
): TelemetryOptions {
  return readEnvironment(env, files).telemetry
}

const readEnvironment = (env: Env, files: Readonly<Record<string, unknown>>) =>
  readVariables(env, VARIABLES, StandaloneConfigSchema, { action: 'start', files })
