import { DEFAULT_MAX_SERIES, type MetricDefinition } from './definition.ts'
import type { ScalarSeries } from './series.ts'

/** The label values that stand for every label combination past a family's series cap. */
const OVERFLOW_VALUE = 'OVERFLOW'

/** Label values in declaration order (`names`), from the labels object an update was given. */
const labelValuesOf = (names: readonly string[], labels: unknown): readonly string[] =>
  names.map((name) => String((labels as Readonly<Record<string, unknown>>)[name] ?? ''))

/** Series of one family, keyed by label values, capped: past the cap everything lands in one overflow series. */
export class SeriesStore<S extends { readonly labelValues: readonly string[] }> {
  readonly series = new Map<string, S>()
  /** The declared label names, in order: label values come in this order. */
  readonly labelNames: readonly string[]
  readonly #maxSeries: number
  readonly #create: (labelValues: readonly string[]) => S
  readonly #onOverflow: () => void

  constructor(
    definition: MetricDefinition,
    create: (labelValues: readonly string[]) => S,
    onOverflow: () => void,
  ) {
    this.labelNames = Object.keys(definition.labels ?? {})
    this.#maxSeries = definition.maxSeries ?? DEFAULT_MAX_SERIES
    this.#create = create
    this.#onOverflow = onOverflow
  }

  /**
   * The series an update names and its number: `(labels, number)`, or `(number)` for a family without labels
   * (which may still be given its empty labels, as code that handles any family does).
   * @example store.forUpdate([{ outcome: 'forwarded' }, 2]) // { series, amount: 2 }
   */
  forUpdate(update: readonly unknown[]): { readonly series: S; readonly amount: number | undefined } {
    const [first, second] = update
    if (typeof first === 'object' && first !== null)
      return { series: this.get(labelValuesOf(this.labelNames, first)), amount: second as number | undefined }
    return { series: this.get(labelValuesOf(this.labelNames, {})), amount: first as number | undefined }
  }

  get(labelValues: readonly string[]): S {
    const found = this.#find(labelValues)
    if (found !== undefined) return found
    this.#onOverflow()
    return this.#overflow()
  }

  /**
   * What `get` answers for the labels of an update, looked up once, for updates in a hot path; past the cap, each
   * call still counts an overflow.
   * @example const series = store.bound({ method: 'GET' }); series().value++
   */
  bound(labels: object = {}): () => S {
    const found = this.#find(labelValuesOf(this.labelNames, labels))
    if (found !== undefined) return () => found
    const overflow = this.#overflow()
    return () => {
      this.#onOverflow()
      return overflow
    }
  }

  /** The series of these label values, created while the family is under its cap; past it, undefined. */
  #find(labelValues: readonly string[]): S | undefined {
    const key = labelValues.join('\u0000')
    const existing = this.series.get(key)
    if (existing !== undefined || this.series.size >= this.#maxSeries) return existing
    const created = this.#create(labelValues)
    this.series.set(key, created)
    return created
  }

  #overflow(): S {
    const labelValues = this.labelNames.map(() => OVERFLOW_VALUE)
    const key = `\u0001${labelValues.join('\u0000')}`
    let overflow = this.series.get(key)
    if (overflow === undefined) {
      overflow = this.#create(labelValues)
      this.series.set(key, overflow)
    }
    return overflow
  }
}

/** A new counter or gauge series. */
export const scalar = (labelValues: readonly string[]): ScalarSeries => ({ labelValues, value: 0 })
