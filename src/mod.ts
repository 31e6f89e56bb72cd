// Public API for Node.js, Deno and Bun. Edge runtimes import ./edge.ts, which has no database or disk checks.

import { nodeOpenDurableFolder } from './adapter/node/files.ts'
import { undiciHttpClients } from './adapter/node/undici-http-client.ts'
import { openFetchHttpClient } from './adapter/shared/fetch-http-client.ts'
import { currentRuntime, serverPorts } from './adapter/shared/server-ports.ts'
import { composeTelemetryApp, type TelemetryApp } from './app.ts'
import { readProxySettings } from './config/proxy.ts'
import { EVERY_FEATURE } from './every-feature.ts'
import { resolveOptions, type TelemetryOptions } from './options.ts'

/**
 * Creates the telemetry module as a Hono app: serve it on its own, or mount it with
 * `app.route('/', telemetry)` before your own routes so every request is logged. Call
 * `telemetry.lifecycle.ready()` once your app has started, `drain()` when shutdown begins and `close()` last.
 * Outbound requests (the relay's) go through the proxy that HTTP_PROXY, HTTPS_PROXY and NO_PROXY name.
 * Throws a `ConfigError` listing every invalid option.
 * @example const telemetry = createTelemetryApp({ database: { url: process.env.DATABASE_URL } })
 */
export function createTelemetryApp(options: TelemetryOptions = {}): TelemetryApp {
  const proxy = readProxySettings(process.env)
  const ports = serverPorts(
    currentRuntime() === 'node' ? undiciHttpClients(proxy) : openFetchHttpClient,
    nodeOpenDurableFolder,
  )
  return composeTelemetryApp(resolveOptions(options), ports, { features: EVERY_FEATURE })
}

/** The module's Hono app with its lifecycle and metrics registry. */
export type { TelemetryApp } from './app.ts'
/** Invalid options or environment variables, every problem listed; `problems` holds them one by one. */
export { ConfigError, type ConfigProblem } from './config/config-error.ts'
/** Environment variables as a process sees them, for `optionsFromEnvironment`. */
export type { Env } from './config/environment.ts'
/** The log levels, and the trusted-proxy setting of the relay's client address. */
export type { LogLevel, ShowDetails, TrustProxy } from './config/fields.ts'
/** The options of `createTelemetryApp`, each feature's slice of them. */
export type { DatabaseOptions } from './database/options.ts'
/** Custom health checks: plain async functions, or named groups of them. */
export type { Health, HealthContributor, HealthContributors, HealthIndicator } from './health/health.ts'
export type { HealthOptions } from './health/options.ts'
/** Spring Boot's status algebra: the most severe status of several, and its HTTP status. */
export { aggregateStatus, DEFAULT_STATUS_ORDER, httpStatusOf, type Status } from './health/status.ts'
/** Hosts that are not Hono apps: which requests the module serves, observing the host's own. */
export type { HostAnswer, HostRequests } from './http/host-requests.ts'
/** Mounting the module into a `fetch` handler (Deno.serve, Bun.serve), every request logged and measured. */
export { type FetchHandler, type WithTelemetryOptions, withTelemetry } from './http/with-telemetry.ts'
/** Readiness and shutdown, driven by the host. */
export type { Lifecycle, LifecycleState } from './lifecycle.ts'
/** Where log lines go: `(line) => void`. */
export type { LogSink } from './logging/logger.ts'
/** Declaring the host's own metrics in `telemetry.metrics`. */
export type {
  LabelClass,
  LabelValues,
  MetricDefinition,
  MetricType,
  WithLabels,
} from './metrics/definition.ts'
export type { MetricsOptions, SqlMetricOptions } from './metrics/options.ts'
export type { Counter, Gauge, Histogram, Registry } from './metrics/registry.ts'
export type { Collector, Emit } from './metrics/series.ts'
export type { TelemetryOptions } from './options.ts'
export type { RemoteWriteOptions } from './push/options.ts'
export type { PlausibleOptions } from './relay/options.ts'
/** A feature is on and a package it needs (an optional peer) is not installed. */
export { MissingPackageError } from './runtime/optional-package.ts'
/** The standalone server's variables, read as options for `createTelemetryApp`. */
export { optionsFromEnvironment } from './standalone/environment.ts'
/** Build info for `/version`, discovered from `package.json` and `.git` without spawning git. */
export {
  type BuildInfo,
  discoverBuildInfo,
  type PartialBuildInfo,
  type ReadTextFile,
} from './version/build-info.ts'
