import type { TrustProxy } from '../config/fields.ts'
import { within } from '../deadline.ts'
import type { Feature } from '../feature.ts'
import type { Logger } from '../logging/logger.ts'
import { createRateLimitedLog } from '../logging/rate-limited.ts'
import type { Registry } from '../metrics/registry.ts'
import type { ClientAddress } from '../runtime/client-address.ts'
import type { OpenHttpClient } from '../runtime/http-client.ts'
import type { KeepRunning } from '../runtime/ports.ts'
import { auditedHttpClient } from './audit.ts'
import { createForwarding } from './forwarding.ts'
import { type RelayMetrics, relayMetrics } from './metrics.ts'
import type { EnabledPlausibleSettings } from './options.ts'
import { relayRoutes } from './routes.ts'

export interface RelayFeatureDependencies {
  readonly settings: EnabledPlausibleSettings
  /** Which proxies in front of this server may name the client's address. */
  readonly trustProxy: TrustProxy
  /** How events reach Plausible: the relay opens its own client, whose connections it closes after draining. */
  readonly openHttpClient: OpenHttpClient
  /** The socket's remote address; without it, only a trusted proxy can name the client. */
  readonly clientAddress: ClientAddress | undefined
  readonly keepRunning: KeepRunning | undefined
  /** Whether I/O belongs to the request that made it (`RuntimePorts.requestScopedIo`): then each send has its own timeout. */
  readonly requestScopedIo: boolean
  readonly registry: Registry
  readonly logger: Logger
}

/**
 * The usage and feedback relay to the central Plausible, for settings that enable it (`relayOff` otherwise).
 * Shutdown drains the queue, then closes the connections to Plausible. The last events sent are kept for
 * `/actuator/telemetry`.
 * @example app.route('/', relayFeature({ settings, trustProxy: false, openHttpClient, clientAddress, keepRunning, requestScopedIo: false, registry, logger }).routes)
 */
export function relayFeature({
  settings,
  trustProxy,
  openHttpClient,
  clientAddress = () => undefined,
  keepRunning,
  requestScopedIo,
  registry,
  logger,
}: RelayFeatureDependencies): Feature {
  const audit = auditedHttpClient(
    openHttpClient({ connectTimeoutMs: settings.timeoutMs }),
    settings.auditEvents,
  )
  const { http } = audit
  const counted = relayMetrics(registry)
  // What was replaced is logged too, never the value: per field and kind at most once a minute, with how many.
  const scrubLog = createRateLimitedLog(logger.info)
  const metrics: RelayMetrics = {
    ...counted,
    scrubbed(values) {
      counted.scrubbed(values)
      for (const { field, kind } of values)
        scrubLog.write(`${field} ${kind}`, 'relay replaced a value before sending', { field, kind })
    },
  }
  const forwarding = createForwarding(
    settings,
    http,
    metrics,
    logger,
    requestScopedIo ? 'per-send' : 'shared',
  )
  return {
    routes: relayRoutes({ settings, trustProxy, clientAddress, keepRunning, forwarding, metrics, logger }),
    transmitted: () => ({ relay: { enabled: true, target: settings.url, lastEvents: audit.recent() } }),
    drain: async (signal) => {
      await forwarding.drain(signal)
      scrubLog.flush()
      await within(http.close(), signal)
    },
  }
}
