import { Hono, type NotFoundHandler } from 'hono'
import { actuatorRoutes } from './actuator/routes.ts'
import { telemetryRoutes } from './actuator/telemetry.ts'
import { ConfigError } from './config/config-error.ts'
import { within } from './deadline.ts'
import type { Feature } from './feature.ts'
import { healthFeature } from './health/feature.ts'
import { managementAccess } from './http/bearer.ts'
import { type HostRequests, hostRequests } from './http/host-requests.ts'
import { observeRequests } from './http/observe-requests.ts'
import { observeEachRoute, observeNotFound } from './http/observe-routes.ts'
import { problem } from './http/problem.ts'
import { routeTemplate } from './http/route-template.ts'
import { createLifecycle, type Lifecycle } from './lifecycle.ts'
import { createLogger, type Logger } from './logging/logger.ts'
import { requestLog } from './logging/request-log.ts'
import { createExposure } from './metrics/exposure.ts'
import { metricsFeature } from './metrics/feature.ts'
import { httpMetrics } from './metrics/http-metrics.ts'
import { createRegistry, type Registry } from './metrics/registry.ts'
import { OPTIONAL_FEATURES, type OptionalFeatureName, type OptionalFeatures } from './optional-features.ts'
import type { ResolvedOptions } from './options.ts'
import { pushOff } from './push/off.ts'
import { relayOff } from './relay/off.ts'
import type { DatabaseClient } from './runtime/database.ts'
import type { RuntimePorts } from './runtime/ports.ts'
import { versionRoutes } from './version/routes.ts'

/**
 * The telemetry module: a Hono app, plus the lifecycle its host drives (ready, drain, close) and the metrics
 * registry the host may add its own metrics to (every one declared, so the catalogue lists it).
 */
export type TelemetryApp = Hono & {
  readonly lifecycle: Lifecycle
  readonly metrics: Registry
  /** For hosts that are not Hono apps: which requests the module answers, and observing the host's own. */
  readonly requests: HostRequests
}

/**
 * Whether the app may be mounted into a host app, whose routes its request observation must then cover too (a
 * middleware), or is the whole server (each route observes itself, which keeps Hono on its single-handler path).
 */
export type Served = 'mounted' | 'alone'

/** How an entry composes the app. */
export interface Composition {
  /** The standalone server passes the logger it logs its own lines with, so there is one. */
  readonly logger?: Logger
  readonly served?: Served
  /** Every feature the options turn on; one left out makes the option that turns it on a `ConfigError`. */
  readonly features: OptionalFeatures
}

/**
 * Composes the features from validated options and the ports the entry chose: each feature gets its own settings
 * and ports, and the app gets their routes and hooks.
 */
export function composeTelemetryApp(
  options: ResolvedOptions,
  ports: RuntimePorts,
  {
    logger = createLogger(options.logLevel, options.log),
    served = 'mounted',
    features: { relay, push: pushOn },
  }: Composition,
): TelemetryApp {
  const database = openDatabase(options, ports)
  const registry = createRegistry()
  const exposure = createExposure(registry, options.metrics)
  const isManager = managementAccess(options.managementToken)
  const lifecycle = createLifecycle({
    onReady: () => {
      for (const feature of features) feature.ready?.()
    },
    release: async (signal) => {
      await Promise.all(features.map((feature) => feature.drain?.(signal)))
      if (database !== undefined) await within(database.close(), signal)
    },
  })
  // The settings say which optional features are on (OPTIONAL_FEATURES reads them the same way) and narrow to theirs.
  const push =
    options.remoteWrite === undefined
      ? pushOff()
      : loaded(
          pushOn,
          'push',
        )({
          settings: options.remoteWrite,
          exposure,
          registry,
          openHttpClient: ports.openHttpClient,
          openDurableFolder: ports.openDurableFolder,
          userAgent: `meshstack-telemetry/${options.version.package}`,
          logger,
        })
  const features: readonly Feature[] = [
    { routes: versionRoutes(options.version) },
    {
      routes: actuatorRoutes(options.version, [
        'health',
        'info',
        'prometheus',
        'metrics',
        'metrics-catalogue',
        'telemetry',
      ]),
    },
    healthFeature({
      settings: options.health,
      database: database &&
        options.database && { client: database, validationQuery: options.database.validationQuery },
      system: ports.system,
      lifecycle,
      isManager,
      // Not part of readiness: the central system being unreachable is no reason to stop serving meshPanel.
      components: push.indicator && { remoteWrite: push.indicator },
      registry,
      logger,
    }),
    metricsFeature({
      settings: options.metrics,
      diskPath: options.health.diskSpace.path,
      registry,
      exposure,
      database,
      system: ports.system,
      isManager: isManager,
      logger,
    }),
    options.plausible.enabled
      ? loaded(
          relay,
          'relay',
        )({
          settings: options.plausible,
          trustProxy: options.trustProxy,
          openHttpClient: ports.openHttpClient,
          clientAddress: ports.clientAddress,
          keepRunning: ports.keepRunning,
          requestScopedIo: ports.requestScopedIo === true,
          registry,
          logger,
        })
      : relayOff(),
    push,
  ]
  const routes = [...features.map((feature) => feature.routes), telemetryRoutes(features, isManager)]

  // Describing every request costs even when the line is dropped (the relay's answer is ~10 µs).
  const observers = [httpMetrics(registry), ...(logger.enabled('info') ? [requestLog(logger)] : [])]
  const notFound: NotFoundHandler = (c) =>
    problem(c, 404, 'Not Found', 'No route matches this method and path')
  const app = new Hono()
  if (served === 'alone') {
    for (const featureRoutes of routes) app.route('/', observeEachRoute(featureRoutes, observers))
    app.notFound(observeNotFound(notFound, observers))
  } else {
    // Mounted first, the middleware observes the host's own routes as well.
    app.use(observeRequests(observers))
    for (const featureRoutes of routes) app.route('/', featureRoutes)
    app.notFound(notFound)
  }
  app.onError((error, c) => {
    logger.error('request failed', { route: routeTemplate(c), error: `${error.name}: ${error.message}` })
    return problem(c, 500, 'Internal Server Error')
  })
  return Object.assign(app, {
    lifecycle,
    metrics: registry,
    requests: hostRequests(routes, observers),
  })
}

function loaded<T>(feature: T | undefined, name: OptionalFeatureName): T {
  if (feature !== undefined) return feature
  const { option, leftOut } = OPTIONAL_FEATURES[name]
  throw new ConfigError('create the telemetry app', [{ name: option, expected: leftOut, received: 'set' }])
}

function openDatabase(options: ResolvedOptions, ports: RuntimePorts): DatabaseClient | undefined {
  if (options.database === undefined) return undefined
  if (ports.connectDatabase === undefined) {
    throw new ConfigError('create the telemetry app', [
      {
        name: 'database.url',
        expected: 'unset on this runtime, which has no database driver',
        received: 'a URL',
      },
    ])
  }
  return ports.connectDatabase({
    url: options.database.url,
    timeoutMs: options.health.timeoutMs,
    connectionLimit: options.database.connectionLimit,
    showHost: options.database.showHost,
  })
}
