import type { Feature } from '../feature.ts'
import type { IsManager } from '../http/bearer.ts'
import type { Logger } from '../logging/logger.ts'
import type { DatabaseClient } from '../runtime/database.ts'
import type { SystemProbe } from '../runtime/system-probe.ts'
import { databaseCollector } from './collectors/database.ts'
import { sqlMetricsCollector } from './collectors/sql-metrics.ts'
import { systemCollector } from './collectors/system.ts'
import type { Exposure } from './exposure.ts'
import type { MetricsSettings } from './options.ts'
import type { Registry } from './registry.ts'
import { metricsRoutes } from './routes.ts'

export interface MetricsFeatureDependencies {
  readonly settings: MetricsSettings
  /** The path whose filesystem the disk gauges measure (the health component's). */
  readonly diskPath: string
  readonly registry: Registry
  /** What leaves: the registry under the customer-label policy, shared with the push. */
  readonly exposure: Exposure
  readonly database: DatabaseClient | undefined
  readonly system: SystemProbe | undefined
  /** Whether a request may read the metrics (a bearer token when one is configured). */
  readonly isManager: IsManager
  readonly logger: Logger
}

/**
 * Registers the collectors this runtime and configuration allow, and serves the exposition and the catalogue.
 * SQL-defined metrics start querying once the host is ready.
 * @example app.route('/', metricsFeature({ settings, diskPath: '.', registry, exposure, database, system, isManager, logger }).routes)
 */
export function metricsFeature({
  settings,
  diskPath,
  registry,
  exposure,
  database,
  system,
  isManager,
  logger,
}: MetricsFeatureDependencies): Feature {
  if (system) registry.collector(systemCollector(system, diskPath))
  if (database) registry.collector(databaseCollector(database))
  const sql =
    database && settings.sql.length > 0 ? sqlMetricsCollector(database, settings.sql, logger) : undefined
  if (sql) registry.collector(sql)
  return {
    routes: metricsRoutes({ registry, exposure, isManager }),
    ...(sql && { ready: () => sql.refreshDue() }),
  }
}
