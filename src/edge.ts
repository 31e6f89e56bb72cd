// Public API for edge runtimes (Cloudflare workerd and the like): Web standards only, so no database or disk
// checks. Everything reachable from here must stay free of node:* and runtime globals (test/portability.test.ts).
import { cloudflareClientAddress } from './adapter/client-address.ts'
import { openFetchHttpClient } from './adapter/fetch-http-client.ts'
import { composeTelemetryApp, type TelemetryApp } from './app.ts'
import { EVERY_FEATURE } from './every-feature.ts'
import { resolveOptions, type TelemetryOptions } from './options.ts'
import type { RuntimePorts } from './runtime/ports.ts'

/** What a Cloudflare worker offers: `fetch`, the client address Cloudflare names, and `waitUntil`. */
export const EDGE_PORTS: RuntimePorts = {
  openHttpClient: openFetchHttpClient,
  clientAddress: cloudflareClientAddress,
  keepRunning: (c, work) => c.executionCtx.waitUntil(work),
}

/**
 * Creates the telemetry module for an edge runtime; `database` must be unset there.
 * @example export default createTelemetryApp({ version: { package: '7.7.7' } })
 */
export function createTelemetryApp(options: TelemetryOptions = {}): TelemetryApp {
  return composeTelemetryApp(resolveOptions(options), EDGE_PORTS, { features: EVERY_FEATURE })
}

/** The module's Hono app with its lifecycle and metrics registry. */
export type { TelemetryApp } from './app.ts'
/** Invalid options, every problem listed. */
export { ConfigError, type ConfigProblem } from './config/config-error.ts'
/** The options of `createTelemetryApp`. */
export type { TelemetryOptions } from './options.ts'
