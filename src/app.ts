import { Hono } from 'hono'
import { actuatorRoutes } from './actuator/routes.ts'
import { ConfigError } from './config/config-error.ts'
import { healthEndpoint } from './health/endpoint.ts'
import { managementAccess } from './http/bearer.ts'
import { problem } from './http/problem.ts'
import { routeTemplate } from './http/route-template.ts'
import { createLifecycle, type Lifecycle } from './lifecycle.ts'
import { createLogger, type Logger } from './logging/logger.ts'
import { requestLog } from './logging/request-log.ts'
import { metricsEndpoint } from './metrics/endpoint.ts'
import { httpMetrics } from './metrics/http-metrics.ts'
import { createRegistry, type Registry } from './metrics/registry.ts'
import { type ResolvedOptions, resolveOptions, type TelemetryOptions } from './options.ts'
import { fetchTransport } from './relay/client.ts'
import { disabledRelayRoutes, relayRoutes } from './relay/routes.ts'
import type { DatabaseClient, RuntimeCapabilities } from './runtime/capabilities.ts'
import { versionRoutes } from './version/routes.ts'

/**
 * The telemetry module: a Hono app, plus the lifecycle its host drives (ready, drain, close) and the metrics
 * registry the host may add its own metrics to (every one declared, so the catalogue lists it).
 */
export type TelemetryApp = Hono & { readonly lifecycle: Lifecycle; readonly metrics: Registry }

/**
 * Composes the module from validated options and what the runtime can do. The public entries (`mod.ts` for
 * Node/Deno/Bun, `edge.ts`) call this with their runtime's capabilities.
 */
export function composeTelemetryApp(options: TelemetryOptions, runtime: RuntimeCapabilities): TelemetryApp {
  const resolved = resolveOptions(options)
  const logger = createLogger(resolved.logLevel, resolved.log)
  const database = openDatabase(resolved, runtime)
  const registry = createRegistry()
  const metrics = metricsEndpoint({
    options: resolved,
    registry,
    database,
    system: runtime.system,
    mayScrape: managementAccess(resolved.managementToken),
    logger,
  })
  const relay = relayEndpoint(resolved, runtime, registry, logger)
  const lifecycle = createLifecycle({
    onReady: () => metrics.sql?.refreshDue(),
    release: async () => {
      await relay.drain()
      await database?.close()
    },
  })

  const app = new Hono()
  app.use(httpMetrics(registry))
  // Measuring and describing every request costs even when the line is dropped (the relay's answer is ~10 µs).
  if (logger.enabled('info')) app.use(requestLog(logger))
  app.route('/', versionRoutes(resolved.version))
  app.route('/', actuatorRoutes(resolved.version, ['health', 'info', 'prometheus', 'metrics']))
  app.route('/', healthEndpoint({ options: resolved, database, system: runtime.system, lifecycle, logger }))
  app.route('/', metrics.routes)
  app.route('/', relay.routes)
  app.notFound((c) => problem(c, 404, 'Not Found', 'No route matches this method and path'))
  app.onError((error, c) => {
    logger.error('request failed', { route: routeTemplate(c), error: `${error.name}: ${error.message}` })
    return problem(c, 500, 'Internal Server Error')
  })
  return Object.assign(app, { lifecycle, metrics: registry })
}

function relayEndpoint(
  options: ResolvedOptions,
  runtime: RuntimeCapabilities,
  registry: Registry,
  logger: Logger,
): { routes: Hono; drain: () => Promise<void> } {
  if (!options.plausible.enabled) return { routes: disabledRelayRoutes(), drain: async () => {} }
  return relayRoutes({
    settings: options.plausible,
    trustProxy: options.trustProxy,
    clientAddress: runtime.clientAddress ?? (() => undefined),
    registry,
    logger,
    ...(runtime.keepRunning && { keepRunning: runtime.keepRunning }),
    transport: runtime.eventTransport ?? fetchTransport,
  })
}

function openDatabase(options: ResolvedOptions, runtime: RuntimeCapabilities): DatabaseClient | undefined {
  if (options.database === undefined) return undefined
  if (runtime.connectDatabase === undefined) {
    throw new ConfigError('create the telemetry app', [
      {
        name: 'database.url',
        expected: 'unset on this runtime, which has no database driver',
        received: 'a URL',
      },
    ])
  }
  return runtime.connectDatabase({
    url: options.database.url,
    timeoutMs: options.health.timeoutMs,
    connectionLimit: options.database.connectionLimit,
    showHost: options.database.showHost,
  })
}
