// Public API for Node.js, Deno and Bun. Edge runtimes import ./edge.ts, which has no database or disk checks.
import { SERVER_RUNTIME } from './adapter/server-runtime.ts'
import { composeTelemetryApp, type TelemetryApp } from './app.ts'
import type { TelemetryOptions } from './options.ts'

/**
 * Creates the telemetry module as a Hono app: serve it on its own, or mount it with
 * `app.route('/', telemetry)` before your own routes so every request is logged. Call
 * `telemetry.lifecycle.ready()` once your app has started, `drain()` when shutdown begins and `close()` last.
 * Throws a `ConfigError` listing every invalid option.
 * @example const telemetry = createTelemetryApp({ database: { url: process.env.DATABASE_URL } })
 */
export function createTelemetryApp(options: TelemetryOptions = {}): TelemetryApp {
  return composeTelemetryApp(options, SERVER_RUNTIME)
}

export type { TelemetryApp } from './app.ts'
export { ConfigError, type ConfigProblem } from './config/config-error.ts'
export { type Env, readStandaloneConfig, type ServerSettings, type StandaloneConfig } from './config/env.ts'
export type { LogLevel, TrustProxy } from './config/fields.ts'
export type { Health, HealthContributor, HealthContributors, HealthIndicator } from './health/health.ts'
export { aggregateStatus, DEFAULT_STATUS_ORDER, httpStatusOf, type Status } from './health/status.ts'
export type { Lifecycle, LifecycleState } from './lifecycle.ts'
export {
  type LogSink,
  type PlausibleSettings,
  type ResolvedOptions,
  resolveOptions,
  type TelemetryOptions,
} from './options.ts'
export {
  type BuildInfo,
  discoverBuildInfo,
  type PartialBuildInfo,
  type ReadTextFile,
} from './version/build-info.ts'
