import type { MetricDefinition } from './definition.ts'
import type { LabelPolicy } from './policy.ts'
import type { FamilySnapshot, HistogramSeries, ScalarSeries } from './series.ts'

/** A label as it leaves: name and value. */
export type Label = readonly [name: string, value: string]

/** A series as it leaves the installation: labels already governed, escaped and joined (`a="x",b="y"`). */
export interface ExportedSeries {
  readonly labelText: string
  /** The same labels as pairs, in the definition's order, for senders that encode them one by one. */
  readonly labels: readonly Label[]
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

/** Labels as the exposition writes them and as pairs. */
interface RenderedLabels {
  readonly text: string
  readonly labels: readonly Label[]
}

function renderLabels(
  names: readonly string[],
  values: readonly (string | undefined)[],
  common: RenderedLabels,
): RenderedLabels {
  let text = common.text
  const labels: Label[] = [...common.labels]
  for (let index = 0; index < names.length; index++) {
    const value = values[index]
    if (value === undefined) continue
    const name = names[index] as string
    text += `${text === '' ? '' : ','}${name}="${escapeLabelValue(value)}"`
    labels.push([name, value])
  }
  return { text, labels }
}

type AnySeries = ScalarSeries | HistogramSeries
const toExported = (series: AnySeries, { text, labels }: RenderedLabels): ExportedSeries =>
  'counts' in series
    ? { labelText: text, labels, value: series.sum, counts: series.counts, count: series.count }
    : { labelText: text, labels, value: series.value }

/**
 * Applies the customer-label policy and renders label text, the `common` labels first on every series. Families
 * without customer labels (and every family under `keep`) reuse the text cached per series, common labels
 * included, so a scrape costs one string lookup per series.
 */
export async function exportFamilies(
  families: readonly FamilySnapshot[],
  policy: LabelPolicy,
  cache: WeakMap<AnySeries, RenderedLabels>,
  commonLabels: readonly Label[] = [],
): Promise<ExportedFamily[]> {
  // Labels every series of the exposure carries (`application`), first, as Micrometer's sorted tags put them.
  const common: RenderedLabels = {
    text: commonLabels.map(([name, value]) => `${name}="${escapeLabelValue(value)}"`).join(','),
    labels: commonLabels,
  }
  return Promise.all(
    families.map(async ({ definition, series }) => {
      const labels = definition.labels ?? {}
      const names = Object.keys(labels)
      const customer = names.map((name) => labels[name] === 'customer')
      const governed = policy.mode !== 'keep' && customer.includes(true)
      if (!governed) {
        const exported = (series as readonly AnySeries[]).map((one) => {
          let rendered = cache.get(one)
          if (rendered === undefined) {
            rendered = renderLabels(names, one.labelValues, common)
            cache.set(one, rendered)
          }
          return toExported(one, rendered)
        })
        return { definition, series: exported }
      }
      const exported = await Promise.all(
        (series as readonly AnySeries[]).map(async (one) => {
          const values = await Promise.all(
            one.labelValues.map((value, index) => (customer[index] ? policy.exportValue(value) : value)),
          )
          return toExported(one, renderLabels(names, values, common))
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
      labels: one.labels,
      value: existing.value + one.value,
      ...(counts && { counts, count: (existing.count ?? 0) + (one.count ?? 0) }),
    })
  }
  return [...merged.values()]
}
