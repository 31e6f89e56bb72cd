import type { Hono } from 'hono'
import type { Logger } from '../logging/logger.ts'
import type { ResolvedOptions } from '../options.ts'
import type { DatabaseClient, SystemProbe } from '../runtime/capabilities.ts'
import { databaseCollector } from './collectors/database.ts'
import { type SqlMetricsCollector, sqlMetricsCollector } from './collectors/sql-metrics.ts'
import { systemCollector } from './collectors/system.ts'
import { createLabelPolicy } from './policy.ts'
import type { Registry } from './registry.ts'
import { metricsRoutes } from './routes.ts'

export interface MetricsEndpointDependencies {
  readonly options: ResolvedOptions
  readonly registry: Registry
  readonly database: DatabaseClient | undefined
  readonly system: SystemProbe | undefined
  readonly mayScrape: Parameters<typeof metricsRoutes>[0]['mayScrape']
  readonly logger: Logger
}

/** Registers the collectors this runtime and configuration allow, and returns the metrics routes. */
export function metricsEndpoint({
  options,
  registry,
  database,
  system,
  mayScrape,
  logger,
}: MetricsEndpointDependencies): {
  routes: Hono
  sql: SqlMetricsCollector | undefined
} {
  if (system) registry.collector(systemCollector(system, options.health.diskSpace.path))
  if (database) registry.collector(databaseCollector(database))
  const sql =
    database && options.metrics.sql.length > 0
      ? sqlMetricsCollector(database, options.metrics.sql, logger)
      : undefined
  if (sql) registry.collector(sql)
  const { customerLabels, pseudonymKey } = options.metrics
  // Without a key nothing can be pseudonymized safely, so customer labels are dropped (the catalogue says so).
  const mode = customerLabels === 'pseudonymize' && pseudonymKey === undefined ? 'drop' : customerLabels
  const policy = createLabelPolicy(mode, pseudonymKey)
  return { routes: metricsRoutes({ registry, policy, mayScrape }), sql }
}
