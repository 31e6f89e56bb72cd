import type { MetricDefinition } from './definition.ts'
import type { Collector, Emit, FamilySnapshot, ScalarSeries } from './series.ts'
import { SeriesStore, scalar } from './series-store.ts'

/** How long one collector may take at scrape before its signal aborts. */
const COLLECTOR_TIMEOUT_MS = 5000
/**
 * How long a collector whose signal aborted may still take to report what it knows (`mysql_up 0` for a database
 * that did not answer in time); past it, the scrape answers without the collector's metrics.
 */
const REPORT_GRACE_MS = 100

/** A collector did not finish within its time at scrape; what it reported by the end of its grace is kept. */
export class CollectorTimeoutError extends Error {
  override readonly name = 'CollectorTimeoutError'
}

interface CollectorResult {
  readonly name: string
  readonly ok: boolean
  readonly seconds: number
  readonly families: FamilySnapshot[]
}

/**
 * Runs one collector under its timeout. One that fails, or is still running at the end of its grace, yields no
 * families; one that ends within the grace keeps what it reported. `ok` says whether it ended in time without error.
 */
export async function runCollector(
  collector: Collector,
  countOverflow: (metric: string) => void,
): Promise<CollectorResult> {
  const started = performance.now()
  const stores = new Map<MetricDefinition, SeriesStore<ScalarSeries>>()
  const emit: Emit = (definition, ...sample) => {
    let store = stores.get(definition)
    if (store === undefined) {
      if (!collector.definitions.includes(definition))
        throw new Error(`${definition.name} is not declared by ${collector.name}`)
      store = new SeriesStore(definition, scalar, () => countOverflow(definition.name))
      stores.set(definition, store)
    }
    const { series, amount = Number.NaN } = store.forUpdate(sample)
    // A collector may report several rows for the same labels (or overflow): they add up.
    series.value += amount
  }
  const controller = new AbortController()
  let timer: ReturnType<typeof setTimeout> | undefined
  const graceOver = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(
        new CollectorTimeoutError(`collector ${collector.name} took longer than ${COLLECTOR_TIMEOUT_MS} ms`),
      )
      timer = setTimeout(() => resolve('late'), REPORT_GRACE_MS)
    }, COLLECTOR_TIMEOUT_MS)
  })
  const finished = Promise.resolve()
    .then(() => collector.collect(emit, controller.signal))
    .then(
      () => true,
      () => false,
    )
  const reported = (await Promise.race([finished, graceOver])) === true
  clearTimeout(timer)
  const ok = reported && !controller.signal.aborted
  const families: FamilySnapshot[] = reported
    ? [...stores].map(([definition, store]) => ({
        definition,
        kind: 'scalar',
        series: [...store.series.values()],
      }))
    : []
  return { name: collector.name, ok, seconds: (performance.now() - started) / 1000, families }
}
