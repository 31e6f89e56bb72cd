import { DEFAULT_MAX_SERIES, type MetricDefinition } from './definition.ts'
import type { ScalarSeries } from './registry.ts'

/** The label values that stand for every label combination past a family's series cap. */
const OVERFLOW_VALUE = 'OVERFLOW'

/** Series of one family, keyed by label values, capped: past the cap everything lands in one overflow series. */
export class SeriesStore<S extends { readonly labelValues: readonly string[] }> {
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

/** A new counter or gauge series. */
export const scalar = (labelValues: readonly string[]): ScalarSeries => ({ labelValues, value: 0 })
