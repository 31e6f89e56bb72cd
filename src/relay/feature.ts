import { Hono } from 'hono'
import type { TrustProxy } from '../config/fields.ts'
import { within } from '../deadline.ts'
import type { Feature } from '../feature.ts'
import type { Logger } from '../logging/logger.ts'
import type { Registry } from '../metrics/registry.ts'
import type { ClientAddress } from '../runtime/client-address.ts'
import type { OpenHttpClient } from '../runtime/http-client.ts'
import type { KeepRunning } from '../runtime/ports.ts'
import { createForwarding } from './forwarding.ts'
import { relayMetrics } from './metrics.ts'
import type { PlausibleSettings } from './options.ts'
import { relayRoutes } from './routes.ts'

export interface RelayFeatureDependencies {
  readonly settings: PlausibleSettings
  /** Which proxies in front of this server may name the client's address. */
  readonly trustProxy: TrustProxy
  /** How events reach Plausible: the relay opens its own client, whose connections it closes after draining. */
  readonly openHttpClient: OpenHttpClient
  /** The socket's remote address; without it, only a trusted proxy can name the client. */
  readonly clientAddress: ClientAddress | undefined
  readonly keepRunning: KeepRunning | undefined
  readonly registry: Registry
  readonly logger: Logger
}

/**
 * The usage and feedback relay to the central Plausible when enabled; otherwise only the answer that tells the
 * page to send nothing, and no `/api/event` (404). Shutdown drains the queue, then closes the connections to Plausible.
 * @example app.route('/', relayFeature({ settings, trustProxy: false, openHttpClient, clientAddress, keepRunning, registry, logger }).routes)
 */
export function relayFeature({
  settings,
  trustProxy,
  openHttpClient,
  clientAddress = () => undefined,
  keepRunning,
  registry,
  logger,
}: RelayFeatureDependencies): Feature {
  if (!settings.enabled) {
    return {
      routes: new Hono().get('/api/telemetry/config', (c) =>
        c.json({ enabled: false }, 200, { 'cache-control': 'no-store' }),
      ),
    }
  }
  const http = openHttpClient({ connectTimeoutMs: settings.timeoutMs })
  const metrics = relayMetrics(registry)
  const forwarding = createForwarding(settings, http, metrics, logger)
  return {
    routes: relayRoutes({ settings, trustProxy, clientAddress, keepRunning, forwarding, metrics, logger }),
    drain: async (signal) => {
      await forwarding.drain(signal)
      await within(http.close(), signal)
    },
  }
}
