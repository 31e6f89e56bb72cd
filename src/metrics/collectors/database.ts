import type { DatabaseClient } from '../../runtime/database.ts'
import { gauge, type MetricDefinition } from '../definition.ts'
import type { Collector } from '../series.ts'

// SHOW GLOBAL STATUS values operators watch, named as mysqld_exporter names them. The two that only grow are
// counters, with `_total`: mysqld_exporter leaves them untyped, so neither PromQL tooling nor OpenMetrics readers
// could tell that rate() is what to take of them.
const STATUS_VARIABLES = {
  Threads_connected: gauge(
    'mysql_global_status_threads_connected',
    'Generic metric from SHOW GLOBAL STATUS: Threads_connected.',
  ),
  Threads_running: gauge(
    'mysql_global_status_threads_running',
    'Generic metric from SHOW GLOBAL STATUS: Threads_running.',
  ),
  Slow_queries: {
    name: 'mysql_global_status_slow_queries_total',
    type: 'counter',
    help: 'Generic metric from SHOW GLOBAL STATUS: Slow_queries, queries that took longer than long_query_time.',
  },
  Questions: {
    name: 'mysql_global_status_questions_total',
    type: 'counter',
    help: 'Generic metric from SHOW GLOBAL STATUS: Questions, statements clients sent (rate() gives them per second).',
  },
  Uptime: gauge('mysql_global_status_uptime', 'Generic metric from SHOW GLOBAL STATUS: Uptime, in seconds.'),
} as const satisfies Record<string, MetricDefinition>

const DATABASE_METRICS = {
  up: gauge('mysql_up', 'Whether the MySQL server is up.'),
  active: gauge('db_pool_connections_active', 'Connections of the module pool in use.'),
  idle: gauge('db_pool_connections_idle', 'Connections of the module pool open and idle.'),
  pending: gauge('db_pool_connections_pending', 'Requests waiting for a connection of the module pool.'),
  max: gauge('db_pool_connections_max', 'Most connections the module pool opens.'),
  rejected: {
    name: 'db_pool_connections_rejected_total',
    type: 'counter',
    help: 'Requests for a connection of the module pool turned away because too many waited already.',
  },
  validation: gauge(
    'db_validation_query_duration_seconds',
    'How long the last successful health validation query took.',
    'seconds',
  ),
  ...STATUS_VARIABLES,
} as const satisfies Record<string, MetricDefinition>

const STATUS_QUERY = `SHOW GLOBAL STATUS WHERE Variable_name IN (${Object.keys(STATUS_VARIABLES)
  .map((name) => `'${name}'`)
  .join(', ')})`

/**
 * The database as the service sees it: whether it answers (`mysql_up`), the pool, and server status values.
 * A database that is down is data (`mysql_up 0`), not a failed collector; so is one that has not answered when the
 * collector's timeout aborts the query, and the pool gauges are reported before the query, whatever it does.
 */
export function databaseCollector(client: DatabaseClient): Collector {
  const m = DATABASE_METRICS
  return {
    name: 'database',
    definitions: Object.values(m),
    async collect(emit, signal) {
      const pool = client.pool()
      emit(m.active, pool.active)
      emit(m.idle, pool.idle)
      emit(m.pending, pool.pending)
      emit(m.max, pool.max)
      emit(m.rejected, pool.rejected)
      const validation = client.lastValidationSeconds()
      if (validation !== undefined) emit(m.validation, validation)
      const rows = await client.query(STATUS_QUERY, signal).catch(() => undefined)
      emit(m.up, rows === undefined ? 0 : 1)
      for (const row of rows ?? []) {
        const definition = STATUS_VARIABLES[String(row.Variable_name) as keyof typeof STATUS_VARIABLES]
        const value = Number(row.Value)
        if (definition && Number.isFinite(value)) emit(definition, value)
      }
    },
  }
}
