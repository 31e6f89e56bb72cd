import type { Logger } from '../../logging/logger.ts'
import type { DatabaseClient } from '../../runtime/database.ts'
import { gauge, type LabelClass, type MetricDefinition } from '../definition.ts'
import type { Collector } from '../series.ts'

/** A metric defined by an SQL query (the sql_exporter pattern): one series per row. */
export interface SqlMetric {
  readonly name: string
  readonly help: string
  readonly query: string
  /** The column holding the value. */
  readonly value: string
  /** Columns that become labels, each with its classification. */
  readonly labels: Readonly<Record<string, LabelClass>>
  readonly timeoutMs: number
  /** How long a result is served before the query runs again. */
  readonly intervalMs: number
  readonly maxSeries: number
}

export const sqlMetricDefinition = ({ name, help, labels, maxSeries }: SqlMetric): MetricDefinition => ({
  name,
  type: 'gauge',
  help,
  labels,
  maxSeries,
})

const labelled = (name: string, help: string, unit?: string): MetricDefinition<'metric'> => ({
  ...gauge(name, help, unit),
  labels: { metric: 'operational' },
})
const SQL_QUERY_METRICS = {
  success: labelled(
    'meshstack_telemetry_sql_query_success',
    'Whether the last run of the metric query succeeded.',
  ),
  duration: labelled(
    'meshstack_telemetry_sql_query_duration_seconds',
    'How long the last run of the metric query took.',
    'seconds',
  ),
  age: labelled(
    'meshstack_telemetry_sql_query_age_seconds',
    'Age of the result served for the metric query.',
    'seconds',
  ),
} as const

interface QueryState {
  rows: readonly { readonly labels: Readonly<Record<string, string>>; readonly value: number }[] | undefined
  refreshedAt: number
  running: Promise<void> | undefined
  ok: boolean | undefined
  seconds: number
}

export interface SqlMetricsCollector extends Collector {
  /** Runs every query that is due, in the background. */
  refreshDue(): void
}

/**
 * Serves SQL-defined metrics from a cache: a scrape never waits on a query. Stale results trigger a refresh in the
 * background (one at a time per query, bounded by its timeout); a failed refresh keeps the last good result.
 */
export function sqlMetricsCollector(
  client: DatabaseClient,
  metrics: readonly SqlMetric[],
  logger: Logger,
): SqlMetricsCollector {
  const definitions = new Map(metrics.map((metric) => [metric, sqlMetricDefinition(metric)]))
  const states = new Map<SqlMetric, QueryState>(
    metrics.map((metric) => [
      metric,
      { rows: undefined, refreshedAt: 0, running: undefined, ok: undefined, seconds: 0 },
    ]),
  )

  const refresh = async (metric: SqlMetric, state: QueryState): Promise<void> => {
    const started = performance.now()
    try {
      const rows = await client.query(metric.query, AbortSignal.timeout(metric.timeoutMs), metric.timeoutMs)
      const labelColumns = Object.keys(metric.labels)
      state.rows = rows
        .map((row) => ({
          labels: Object.fromEntries(labelColumns.map((column) => [column, String(row[column] ?? '')])),
          value: Number(row[metric.value]),
        }))
        .filter((row) => Number.isFinite(row.value))
      state.refreshedAt = performance.now()
      state.ok = true
    } catch (error) {
      state.ok = false
      logger.warn('metric query failed', {
        metric: metric.name,
        error: error instanceof Error ? error.name : 'Error',
      })
    } finally {
      state.seconds = (performance.now() - started) / 1000
      state.running = undefined
    }
  }

  const refreshDue = (): void => {
    for (const [metric, state] of states) {
      const due = state.rows === undefined || performance.now() - state.refreshedAt >= metric.intervalMs
      if (due && state.running === undefined) state.running = refresh(metric, state)
    }
  }

  return {
    name: 'sql',
    definitions: [...definitions.values(), ...Object.values(SQL_QUERY_METRICS)],
    refreshDue,
    collect(emit) {
      refreshDue()
      for (const [metric, state] of states) {
        const definition = definitions.get(metric) as MetricDefinition
        for (const row of state.rows ?? []) emit(definition, row.labels, row.value)
        const byMetric = { metric: metric.name }
        if (state.ok !== undefined) {
          emit(SQL_QUERY_METRICS.success, byMetric, state.ok ? 1 : 0)
          emit(SQL_QUERY_METRICS.duration, byMetric, state.seconds)
        }
        if (state.rows !== undefined)
          emit(SQL_QUERY_METRICS.age, byMetric, (performance.now() - state.refreshedAt) / 1000)
      }
    },
  }
}
