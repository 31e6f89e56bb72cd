import { assertDefinition, gauge, type MetricDefinition, type WithLabels } from './definition.ts'
import { runCollector } from './run-collector.ts'
import type { Collector, FamilySnapshot, HistogramSeries, ScalarSeries } from './series.ts'
import { SeriesStore, scalar } from './series-store.ts'
import { WindowMax } from './window-max.ts'

/** A counter: `inc()` or `inc({ outcome: 'forwarded' }, 2)`, labels first when it declares any. */
export interface Counter<Label extends string = never> {
  /** Adds `amount` (1 when left out) to the series of these labels. */
  inc(...update: WithLabels<Label, [amount?: number]>): void
  /** The series of these labels, looked up once: for code that counts on every request. */
  bind(...labels: WithLabels<Label, []>): Counter
}
/** A gauge set by the code that owns the value (for values read at scrape time, use a collector). */
export interface Gauge<Label extends string = never> {
  /** Sets the series of these labels to `value`. */
  set(...update: WithLabels<Label, [value: number]>): void
  /** Adds `amount`, which may be negative, to the series of these labels. */
  add(...update: WithLabels<Label, [amount: number]>): void
  /** The series of these labels, looked up once: for code that sets it on every request. */
  bind(...labels: WithLabels<Label, []>): Gauge
}
/** A histogram of durations or sizes, in the buckets its definition declares. */
export interface Histogram<Label extends string = never> {
  /** Counts `value` (in the definition's unit) in the series of these labels. */
  observe(...update: WithLabels<Label, [value: number]>): void
  /**
   * The series of these labels, looked up once: for code that observes every request.
   * @example const ok = latency.bind({ outcome: 'SUCCESS' }); ok.observe(0.002)
   */
  bind(...labels: WithLabels<Label, []>): Histogram
}

/** One app instance's metrics: declared families, stored series, and lazy collectors. Never global. */
export interface Registry {
  /** Declares a counter family and returns it; its name must be new, and end in `_total`. */
  counter<Label extends string = never>(definition: MetricDefinition<Label>): Counter<Label>
  /** Declares a gauge family set by its owner and returns it. */
  gauge<Label extends string = never>(definition: MetricDefinition<Label>): Gauge<Label>
  /** Declares a histogram family and returns it. */
  histogram<Label extends string = never>(definition: MetricDefinition<Label>): Histogram<Label>
  /** Adds a collector, whose families are declared with it and whose samples are read at every scrape. */
  collector(collector: Collector): void
  /** Every declared family, sorted by name: what the catalogue lists and the policy governs. */
  definitions(): MetricDefinition[]
}

/** The registry as the module's exposition reads it; hosts only declare into it. */
export interface CollectingRegistry extends Registry {
  /** Runs the collectors and returns every family with samples, sorted by name. */
  collect(): Promise<FamilySnapshot[]>
}

// What the registry says about its own collectors, labelled by collector name.
const byCollector = { collector: 'operational' } as const
const COLLECTOR_SUCCESS: MetricDefinition<'collector'> = {
  ...gauge(
    'meshstack_telemetry_collector_success',
    'Whether the collector succeeded at the last scrape (1) or failed or timed out (0).',
  ),
  labels: byCollector,
}
const COLLECTOR_DURATION: MetricDefinition<'collector'> = {
  ...gauge(
    'meshstack_telemetry_collector_duration_seconds',
    'How long the collector took at the last scrape.',
    'seconds',
  ),
  labels: byCollector,
}
const SERIES_OVERFLOW: MetricDefinition<'metric'> = {
  name: 'meshstack_telemetry_series_overflow_total',
  type: 'counter',
  help: 'Updates to label combinations past a metric family series cap, counted into its OVERFLOW series.',
  labels: { metric: 'operational' },
}

/** The gauge Micrometer's Prometheus registry adds to a Timer: same labels and help, `_max` appended, no unit. */
const maxOf = ({ name, help, labels, maxSeries }: MetricDefinition): MetricDefinition => ({
  name: `${name}_max`,
  type: 'gauge',
  help,
  ...(labels && { labels }),
  ...(maxSeries !== undefined && { maxSeries }),
})

/**
 * Creates a registry. Families are declared with a definition that is checked at once.
 * @example createRegistry().counter({ name: 'jobs_total', type: 'counter', help: 'Jobs run.' }).inc()
 */
export function createRegistry(): CollectingRegistry {
  const families = new Map<string, () => FamilySnapshot>()
  const definitions = new Map<string, MetricDefinition>()
  const collectors: Collector[] = []
  // Scrapes share a collector's run while it is in flight, so a burst of scrapes costs one run per collector, not
  // one each (a database query each, against a database that may not answer). Shared per collector rather than
  // per scrape: a scrape that joins a slow collector's run still gets fresh runs of the others, and the registry's
  // own families are read when each scrape answers.
  const running = new Map<Collector, ReturnType<typeof runCollector>>()
  const runShared = (collector: Collector): ReturnType<typeof runCollector> => {
    let run = running.get(collector)
    if (run === undefined) {
      run = runCollector(collector, countOverflow).finally(() => running.delete(collector))
      running.set(collector, run)
    }
    return run
  }

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
    const store = new SeriesStore(definition, scalar, () => countOverflow(definition.name))
    families.set(definition.name, () => ({ definition, kind: 'scalar', series: [...store.series.values()] }))
    return store
  }

  declare(COLLECTOR_SUCCESS, 'gauge')
  declare(COLLECTOR_DURATION, 'gauge')
  const overflows = scalarFamily(SERIES_OVERFLOW, 'counter')
  function countOverflow(metric: string): void {
    overflows.get([metric]).value++
  }

  return {
    counter<Label extends string>(definition: MetricDefinition<Label>): Counter<Label> {
      const store = scalarFamily(definition, 'counter')
      const inc = (series: ScalarSeries, amount = 1) => {
        series.value += amount
      }
      return {
        inc: (...update) => {
          const { series, amount } = store.forUpdate(update)
          inc(series, amount)
        },
        bind: (...[labels]) => {
          const series = store.bound(labels)
          const bound: Counter = { inc: (amount) => inc(series(), amount), bind: () => bound }
          return bound
        },
      }
    },
    gauge<Label extends string>(definition: MetricDefinition<Label>): Gauge<Label> {
      const store = scalarFamily(definition, 'gauge')
      const set = (series: ScalarSeries, value = Number.NaN) => {
        series.value = value
      }
      const add = (series: ScalarSeries, amount = 0) => {
        series.value += amount
      }
      return {
        set: (...update) => {
          const { series, amount } = store.forUpdate(update)
          set(series, amount)
        },
        add: (...update) => {
          const { series, amount } = store.forUpdate(update)
          add(series, amount)
        },
        bind: (...[labels]) => {
          const series = store.bound(labels)
          const bound: Gauge = {
            set: (value) => set(series(), value),
            add: (amount) => add(series(), amount),
            bind: () => bound,
          }
          return bound
        },
      }
    },
    histogram<Label extends string>(definition: MetricDefinition<Label>): Histogram<Label> {
      declare(definition, 'histogram')
      const maxDefinition = definition.max ? maxOf(definition) : undefined
      if (maxDefinition) declare(maxDefinition, 'gauge')
      const bounds = definition.buckets ?? []
      const store = new SeriesStore<HistogramSeries>(
        definition,
        (labelValues) => ({
          labelValues,
          counts: Array<number>(bounds.length + 1).fill(0),
          sum: 0,
          count: 0,
          ...(maxDefinition && { max: { labelValues, value: 0, window: new WindowMax() } }),
        }),
        () => countOverflow(definition.name),
      )
      families.set(definition.name, () => ({
        definition,
        kind: 'histogram',
        series: [...store.series.values()],
      }))
      if (maxDefinition) {
        families.set(maxDefinition.name, () => ({
          definition: maxDefinition,
          kind: 'scalar',
          series: [...store.series.values()].flatMap(({ max }) => {
            if (max === undefined) return []
            max.value = max.window.poll()
            return [max]
          }),
        }))
      }
      const observe = (series: HistogramSeries, value = Number.NaN) => {
        let bucket = 0
        while (bucket < bounds.length && value > (bounds[bucket] as number)) bucket++
        series.counts[bucket] = (series.counts[bucket] ?? 0) + 1
        series.sum += value
        series.count++
        series.max?.window.record(value)
      }
      return {
        observe: (...update) => {
          const { series, amount } = store.forUpdate(update)
          observe(series, amount)
        },
        bind: (...[labels]) => {
          const series = store.bound(labels)
          const bound: Histogram = { observe: (value) => observe(series(), value), bind: () => bound }
          return bound
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
      const results = await Promise.all(collectors.map(runShared))
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
}
