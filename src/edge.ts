// Public API for edge runtimes (Cloudflare workerd and the like): Web standards only, so no database or disk
// checks. Everything reachable from here must stay free of node:* and runtime globals (test/portability.test.ts).

import { EDGE_FEATURES, EDGE_PORTS } from './adapter/workerd/edge-runtime.ts'
import { composeTelemetryApp, type TelemetryApp } from './app.ts'
import { ConfigError } from './config/config-error.ts'
import { resolveOptions, type TelemetryOptions } from './options.ts'

/**
 * Creates the telemetry module for an edge runtime; `database`, `remoteWrite.url` and `remoteWrite.spoolDir` must
 * be unset there.
 * @example export default createTelemetryApp({ version: { package: '7.7.7' } })
 */
export function createTelemetryApp(options: TelemetryOptions = {}): TelemetryApp {
  const resolved = resolveOptions(options)
  // Refused even without a URL: a spool set here says the host expects what this runtime cannot keep.
  if (options.remoteWrite?.spoolDir !== undefined)
    throw new ConfigError('create the telemetry app', [
      {
        name: 'remoteWrite.spoolDir',
        expected: 'unset on this runtime, which has no file system to keep a spool on',
        received: 'set',
      },
    ])
  return composeTelemetryApp(resolved, EDGE_PORTS, { features: EDGE_FEATURES })
}

/** The module's Hono app with its lifecycle and metrics registry. */
export type { TelemetryApp } from './app.ts'
/** Invalid options, every problem listed. */
export { ConfigError, type ConfigProblem } from './config/config-error.ts'
/** The options of `createTelemetryApp`, each feature's slice of them. */
export type { DatabaseOptions } from './database/options.ts'
export type { HealthOptions } from './health/options.ts'
/** Hosts that are not Hono apps: which requests the module serves, observing the host's own. */
export type { HostAnswer, HostRequests } from './http/host-requests.ts'
/** Mounting the module into a worker's own `fetch` handler, every request logged and measured. */
export { type FetchHandler, type WithTelemetryOptions, withTelemetry } from './http/with-telemetry.ts'
/** Readiness and shutdown, driven by the host. */
export type { Lifecycle, LifecycleState } from './lifecycle.ts'
export type { MetricsOptions, SqlMetricOptions } from './metrics/options.ts'
export type { TelemetryOptions } from './options.ts'
export type { RemoteWriteOptions } from './push/options.ts'
export type { PlausibleOptions } from './relay/options.ts'
