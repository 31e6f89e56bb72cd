import type { MetricDefinition } from './definition.ts'
import type { LabelPolicy } from './policy.ts'
import type { FamilySnapshot, HistogramSeries, ScalarSeries } from './series.ts'

/** A series as it leaves the installation: labels already governed, escaped and joined (`a="x",b="y"`). */
export interface ExportedSeries {
  readonly labelText: string
  readonly value: number
  /** Histograms only: observations per bucket (not cumulative), the last slot +Inf; `value` is the sum. */
  readonly counts?: readonly number[]
  readonly count?: number
}
export interface ExportedFamily {
  readonly definition: MetricDefinition
  readonly series: readonly ExportedSeries[]
}

const escapeLabelValue = (value: string): string =>
  value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')

const labelText = (names: readonly string[], values: readonly (string | undefined)[]): string => {
  let text = ''
  for (let index = 0; index < names.length; index++) {
    const value = values[index]
    if (value === undefined) continue
    text += `${text === '' ? '' : ','}${names[index]}="${escapeLabelValue(value)}"`
  }
  return text
}

type AnySeries = ScalarSeries | HistogramSeries
const toExported = (series: AnySeries, text: string): ExportedSeries =>
  'counts' in series
    ? { labelText: text, value: series.sum, counts: series.counts, count: series.count }
    : { labelText: text, value: series.value }

/**
 * Applies the customer-label policy and renders label text. Families without customer labels (and every family
 * under `keep`) reuse the text cached per series, so a scrape costs one string lookup per series.
 */
export async function exportFamilies(
  families: readonly FamilySnapshot[],
  policy: LabelPolicy,
  cache: WeakMap<AnySeries, string>,
): Promise<ExportedFamily[]> {
  return Promise.all(
    families.map(async ({ definition, series }) => {
      const labels = definition.labels ?? {}
      const names = Object.keys(labels)
      const customer = names.map((name) => labels[name] === 'customer')
      const governed = policy.mode !== 'keep' && customer.includes(true)
      if (!governed) {
        const exported = (series as readonly AnySeries[]).map((one) => {
          let text = cache.get(one)
          if (text === undefined) {
            text = labelText(names, one.labelValues)
            cache.set(one, text)
          }
          return toExported(one, text)
        })
        return { definition, series: exported }
      }
      const exported = await Promise.all(
        (series as readonly AnySeries[]).map(async (one) => {
          const values = await Promise.all(
            one.labelValues.map((value, index) => (customer[index] ? policy.exportValue(value) : value)),
          )
          return toExported(one, labelText(names, values))
        }),
      )
      return { definition, series: mergeSameLabels(exported) }
    }),
  )
}

/** Dropping a label can make series identical: they are summed, as Prometheus' `sum without(label)` would. */
function mergeSameLabels(series: readonly ExportedSeries[]): ExportedSeries[] {
  const merged = new Map<string, ExportedSeries>()
  for (const one of series) {
    const existing = merged.get(one.labelText)
    if (existing === undefined) {
      merged.set(one.labelText, one)
      continue
    }
    const counts =
      existing.counts && one.counts?.map((count, index) => count + (existing.counts?.[index] ?? 0))
    merged.set(one.labelText, {
      labelText: one.labelText,
      value: existing.value + one.value,
      ...(counts && { counts, count: (existing.count ?? 0) + (one.count ?? 0) }),
    })
  }
  return [...merged.values()]
}
