import type { MetricDefinition } from './definition.ts'
import type { Collector, Emit, FamilySnapshot, ScalarSeries } from './series.ts'
import { SeriesStore, scalar } from './series-store.ts'

/** How long one collector may take at scrape before it counts as failed. */
const COLLECTOR_TIMEOUT_MS = 5000

/** A collector did not finish within its time at scrape; its metrics are left out of that scrape. */
export class CollectorTimeoutError extends Error {
  override readonly name = 'CollectorTimeoutError'
}

interface CollectorResult {
  readonly name: string
  readonly ok: boolean
  readonly seconds: number
  readonly families: FamilySnapshot[]
}

/** Runs one collector under its timeout; a failure or timeout yields no families and `ok: false`. */
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
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(
        new CollectorTimeoutError(`collector ${collector.name} took longer than ${COLLECTOR_TIMEOUT_MS} ms`),
      )
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
