import { assertDefinition, gauge, type MetricDefinition } from './definition.ts'
import { runCollector } from './run-collector.ts'
import { SeriesStore, scalar } from './series-store.ts'

export interface ScalarSeries {
  readonly labelValues: readonly string[]
  value: number
}
export interface HistogramSeries {
  readonly labelValues: readonly string[]
  /** Observations per bucket (not cumulative); the last slot is +Inf. */
  readonly counts: number[]
  sum: number
  count: number
}
export type FamilySnapshot =
  | {
      readonly definition: MetricDefinition
      readonly kind: 'scalar'
      readonly series: readonly ScalarSeries[]
    }
  | {
      readonly definition: MetricDefinition
      readonly kind: 'histogram'
      readonly series: readonly HistogramSeries[]
    }

export interface Counter {
  inc(labelValues?: readonly string[], amount?: number): void
}
export interface Gauge {
  set(labelValues: readonly string[], value: number): void
  add(labelValues: readonly string[], amount: number): void
}
export interface Histogram {
  observe(value: number, labelValues?: readonly string[]): void
}
/** Emits one sample of a declared scalar metric during a scrape. */
export type Emit = (definition: MetricDefinition, labelValues: readonly string[], value: number) => void

/** Computes gauges lazily, at scrape time. A collector that throws or times out costs only its own metrics. */
export interface Collector {
  readonly name: string
  readonly definitions: readonly MetricDefinition[]
  collect(emit: Emit, signal: AbortSignal): Promise<void> | void
}

/** One app instance's metrics: declared families, stored series, and lazy collectors. Never global. */
export interface Registry {
  counter(definition: MetricDefinition): Counter
  gauge(definition: MetricDefinition): Gauge
  histogram(definition: MetricDefinition): Histogram
  collector(collector: Collector): void
  /** Every declared family, sorted by name: what the catalogue lists and the policy governs. */
  definitions(): MetricDefinition[]
  /** Runs the collectors and returns every family with samples, sorted by name. */
  collect(): Promise<FamilySnapshot[]>
}

// What the registry says about its own collectors, labelled by collector name.
const byCollector = { collector: 'operational' } as const
const COLLECTOR_SUCCESS: MetricDefinition = {
  ...gauge(
    'meshstack_telemetry_collector_success',
    'Whether the collector succeeded at the last scrape (1) or failed or timed out (0).',
  ),
  labels: byCollector,
}
const COLLECTOR_DURATION: MetricDefinition = {
  ...gauge(
    'meshstack_telemetry_collector_duration_seconds',
    'How long the collector took at the last scrape.',
    'seconds',
  ),
  labels: byCollector,
}
const SERIES_OVERFLOW: MetricDefinition = {
  name: 'meshstack_telemetry_series_overflow_total',
  type: 'counter',
  help: 'Updates to label combinations past a metric family series cap, counted into its OVERFLOW series.',
  labels: { metric: 'operational' },
}

/**
 * Creates a registry. Families are declared with a definition that is checked at once.
 * @example const requests = createRegistry().counter({ name: 'jobs_total', type: 'counter', help: 'Jobs run.' })
 */
export function createRegistry(): Registry {
  const families = new Map<string, () => FamilySnapshot>()
  const definitions = new Map<string, MetricDefinition>()
  const collectors: Collector[] = []

  const declare = (definition: MetricDefinition, type: MetricDefinition['type']): void => {
    assertDefinition(definition)
    if (definition.type !== type) throw new Error(`${definition.name} is declared as a ${definition.type}`)
    if (definitions.has(definition.name)) throw new Error(`${definition.name} is declared twice`)
    definitions.set(definition.name, definition)
  }
  const scalarFamily = (
    definition: MetricDefinition,
    type: 'counter' | 'gauge',
  ): SeriesStore<ScalarSeries> => {
    declare(definition, type)
    const store = new SeriesStore(definition, scalar, countOverflow)
    families.set(definition.name, () => ({ definition, kind: 'scalar', series: [...store.series.values()] }))
    return store
  }

  declare(COLLECTOR_SUCCESS, 'gauge')
  declare(COLLECTOR_DURATION, 'gauge')
  const overflows = scalarFamily(SERIES_OVERFLOW, 'counter')
  function countOverflow(metric: string): void {
    overflows.get([metric]).value++
  }

  const registry: Registry = {
    counter(definition) {
      const store = scalarFamily(definition, 'counter')
      return {
        inc: (labelValues = [], amount = 1) => {
          store.get(labelValues).value += amount
        },
      }
    },
    gauge(definition) {
      const store = scalarFamily(definition, 'gauge')
      return {
        set: (labelValues, value) => {
          store.get(labelValues).value = value
        },
        add: (labelValues, amount) => {
          store.get(labelValues).value += amount
        },
      }
    },
    histogram(definition) {
      declare(definition, 'histogram')
      const bounds = definition.buckets ?? []
      const store = new SeriesStore<HistogramSeries>(
        definition,
        (labelValues) => ({
          labelValues,
          counts: Array<number>(bounds.length + 1).fill(0),
          sum: 0,
          count: 0,
        }),
        countOverflow,
      )
      families.set(definition.name, () => ({
        definition,
        kind: 'histogram',
        series: [...store.series.values()],
      }))
      return {
        observe: (value, labelValues = []) => {
          const series = store.get(labelValues)
          let bucket = 0
          while (bucket < bounds.length && value > (bounds[bucket] as number)) bucket++
          series.counts[bucket] = (series.counts[bucket] ?? 0) + 1
          series.sum += value
          series.count++
        },
      }
    },
    collector(collector) {
      for (const definition of collector.definitions) {
        if (definition.type === 'histogram')
          throw new Error(`${definition.name}: collectors emit counters and gauges`)
        declare(definition, definition.type)
      }
      collectors.push(collector)
    },
    definitions: () => [...definitions.values()].sort((a, b) => (a.name < b.name ? -1 : 1)),
    async collect() {
      const results = await Promise.all(collectors.map((collector) => runCollector(collector, countOverflow)))
      const snapshots = [...families.values()].map((snapshot) => snapshot())
      const success: ScalarSeries[] = []
      const duration: ScalarSeries[] = []
      for (const result of results) {
        snapshots.push(...result.families)
        success.push({ labelValues: [result.name], value: result.ok ? 1 : 0 })
        duration.push({ labelValues: [result.name], value: result.seconds })
      }
      if (results.length > 0) {
        snapshots.push({ definition: COLLECTOR_SUCCESS, kind: 'scalar', series: success })
        snapshots.push({ definition: COLLECTOR_DURATION, kind: 'scalar', series: duration })
      }
      return snapshots
        .filter((family) => family.series.length > 0)
        .sort((a, b) => (a.definition.name < b.definition.name ? -1 : 1))
    },
  }
  return registry
}
