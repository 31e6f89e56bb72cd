import { assertDefinition, DEFAULT_MAX_SERIES, type MetricDefinition } from './definition.ts'

/** The label values that stand for every label combination past a family's series cap. */
export const OVERFLOW_VALUE = 'OVERFLOW'
/** How long one collector may take at scrape before it counts as failed. */
export const COLLECTOR_TIMEOUT_MS = 5000

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

const COLLECTOR_SUCCESS: MetricDefinition = {
  name: 'meshstack_telemetry_collector_success',
  type: 'gauge',
  help: 'Whether the collector succeeded at the last scrape (1) or failed or timed out (0).',
  labels: { collector: 'operational' },
}
const COLLECTOR_DURATION: MetricDefinition = {
  name: 'meshstack_telemetry_collector_duration_seconds',
  type: 'gauge',
  unit: 'seconds',
  help: 'How long the collector took at the last scrape.',
  labels: { collector: 'operational' },
}
const SERIES_OVERFLOW: MetricDefinition = {
  name: 'meshstack_telemetry_series_overflow_total',
  type: 'counter',
  help: 'Updates to label combinations past a metric family series cap, counted into its OVERFLOW series.',
  labels: { metric: 'operational' },
}

/** Series of one family, keyed by label values, capped: past the cap everything lands in one overflow series. */
class SeriesStore<S extends { readonly labelValues: readonly string[] }> {
  readonly series = new Map<string, S>()
  constructor(
    private readonly definition: MetricDefinition,
    private readonly create: (labelValues: readonly string[]) => S,
    private readonly onOverflow: (metric: string) => void,
  ) {}

  get(labelValues: readonly string[]): S {
    const key = labelValues.join('\u0000')
    const existing = this.series.get(key)
    if (existing !== undefined) return existing
    const arity = Object.keys(this.definition.labels ?? {}).length
    if (labelValues.length !== arity) {
      throw new Error(`${this.definition.name} takes ${arity} label values, got ${labelValues.length}`)
    }
    if (this.series.size >= (this.definition.maxSeries ?? DEFAULT_MAX_SERIES)) {
      this.onOverflow(this.definition.name)
      return this.getOverflow(arity)
    }
    const created = this.create(labelValues)
    this.series.set(key, created)
    return created
  }

  private getOverflow(arity: number): S {
    const labelValues = Array<string>(arity).fill(OVERFLOW_VALUE)
    const key = `\u0001${labelValues.join('\u0000')}`
    let overflow = this.series.get(key)
    if (overflow === undefined) {
      overflow = this.create(labelValues)
      this.series.set(key, overflow)
    }
    return overflow
  }
}

const scalar = (labelValues: readonly string[]): ScalarSeries => ({ labelValues, value: 0 })

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

interface CollectorResult {
  readonly name: string
  readonly ok: boolean
  readonly seconds: number
  readonly families: FamilySnapshot[]
}

async function runCollector(
  collector: Collector,
  countOverflow: (metric: string) => void,
): Promise<CollectorResult> {
  const started = performance.now()
  const stores = new Map<MetricDefinition, SeriesStore<ScalarSeries>>()
  const emit: Emit = (definition, labelValues, value) => {
    let store = stores.get(definition)
    if (store === undefined) {
      if (!collector.definitions.includes(definition))
        throw new Error(`${definition.name} is not declared by ${collector.name}`)
      store = new SeriesStore(definition, scalar, countOverflow)
      stores.set(definition, store)
    }
    // A collector may report several rows for the same labels (or overflow): they add up.
    store.get(labelValues).value += value
  }
  const controller = new AbortController()
  let timer: ReturnType<typeof setTimeout> | undefined
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new Error(`collector ${collector.name} took longer than ${COLLECTOR_TIMEOUT_MS} ms`))
      resolve(false)
    }, COLLECTOR_TIMEOUT_MS)
  })
  const finished = Promise.resolve()
    .then(() => collector.collect(emit, controller.signal))
    .then(
      () => true,
      () => false,
    )
  const ok = await Promise.race([finished, timedOut])
  clearTimeout(timer)
  const families: FamilySnapshot[] = ok
    ? [...stores].map(([definition, store]) => ({
        definition,
        kind: 'scalar',
        series: [...store.series.values()],
      }))
    : []
  return { name: collector.name, ok, seconds: (performance.now() - started) / 1000, families }
}
