import type { Context } from 'hono'
import type { Feature } from '../feature.ts'
import type { Logger } from '../logging/logger.ts'
import type { DatabaseClient } from '../runtime/database.ts'
import type { SystemProbe } from '../runtime/system-probe.ts'
import { databaseCollector } from './collectors/database.ts'
import { sqlMetricsCollector } from './collectors/sql-metrics.ts'
import { systemCollector } from './collectors/system.ts'
import type { MetricsSettings } from './options.ts'
import { createLabelPolicy } from './policy.ts'
import type { Registry } from './registry.ts'
import { metricsRoutes } from './routes.ts'

export interface MetricsFeatureDependencies {
  readonly settings: MetricsSettings
  /** The path whose filesystem the disk gauges measure (the health component's). */
  readonly diskPath: string
  readonly registry: Registry
  readonly database: DatabaseClient | undefined
  readonly system: SystemProbe | undefined
  /** Whether a request may read the metrics (a bearer token when one is configured). */
  readonly mayScrape: (c: Context) => Promise<boolean>
  readonly logger: Logger
}

/**
 * Registers the collectors this runtime and configuration allow, and serves the exposition and the catalogue.
 * SQL-defined metrics start querying once the host is ready.
 * @example app.route('/', metricsFeature({ settings, diskPath: '.', registry, database, system, mayScrape, logger }).routes)
 */
export function metricsFeature({
  settings,
  diskPath,
  registry,
  database,
  system,
  mayScrape,
  logger,
}: MetricsFeatureDependencies): Feature {
  if (system) registry.collector(systemCollector(system, diskPath))
  if (database) registry.collector(databaseCollector(database))
  const sql =
    database && settings.sql.length > 0 ? sqlMetricsCollector(database, settings.sql, logger) : undefined
  if (sql) registry.collector(sql)
  const { customerLabels, pseudonymKey } = settings
  // Without a key nothing can be pseudonymized safely, so customer labels are dropped (the catalogue says so).
  const mode = customerLabels === 'pseudonymize' && pseudonymKey === undefined ? 'drop' : customerLabels
  const policy = createLabelPolicy(mode, pseudonymKey)
  return {
    routes: metricsRoutes({ registry, policy, mayScrape }),
    ...(sql && { ready: () => sql.refreshDue() }),
  }
}
