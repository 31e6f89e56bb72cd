// Public API for edge runtimes (Cloudflare workerd and the like): Web standards only, so no database or disk
// checks. Everything reachable from here must stay free of node:* and runtime globals (test/portability.test.ts).
import { cloudflareClientAddress } from './adapter/client-address.ts'
import { composeTelemetryApp, type TelemetryApp } from './app.ts'
import type { TelemetryOptions } from './options.ts'

/**
 * Creates the telemetry module for an edge runtime; `database` must be unset there.
 * @example export default createTelemetryApp({ version: { package: '7.7.7' } })
 */
export function createTelemetryApp(options: TelemetryOptions = {}): TelemetryApp {
  return composeTelemetryApp(options, {
    clientAddress: cloudflareClientAddress,
    keepRunning: (c, work) => c.executionCtx.waitUntil(work),
  })
}

export type { TelemetryApp } from './app.ts'
export { ConfigError } from './config/config-error.ts'
export { readStandaloneConfig } from './config/env.ts'
export type { TelemetryOptions } from './options.ts'
