import type { ExportedFamily, Label } from './export.ts'
import { micrometerName } from './micrometer-name.ts'

// The answers of Spring Boot's `MetricsEndpoint` (`MetricNamesDescriptor`, `MetricDescriptor`, `Sample`,
// `AvailableTag`), computed from the families the exposition shows, so customer labels are governed the same way.

/** Micrometer's statistics, as far as our families know them. */
type Statistic = 'COUNT' | 'TOTAL' | 'TOTAL_TIME' | 'MAX' | 'VALUE'

export interface MetricDescriptor {
  readonly name: string
  readonly description: string
  readonly baseUnit?: string
  readonly measurements: readonly { readonly statistic: Statistic; readonly value: number | string }[]
  readonly availableTags: readonly { readonly tag: string; readonly values: readonly string[] }[]
}

/**
 * `{"names": [...]}`: the Micrometer name of every family with samples, sorted as Spring's `TreeSet` sorts them.
 * @example metricNames(await exposure.families()) // { names: ['disk.free', 'http.server.requests', ...] }
 */
export function metricNames(families: readonly ExportedFamily[]): { readonly names: readonly string[] } {
  const maxima = maxFamilyNames(families)
  const names = new Set(
    families
      .filter(({ definition }) => !maxima.has(definition.name))
      .map(({ definition }) => micrometerName(definition)),
  )
  return { names: [...names].sort() }
}

/**
 * The `_max` gauges of timers: Micrometer's Prometheus registry exposes a Timer's MAX that way, and Spring's
 * endpoint shows it as the timer's `MAX` statistic, not as a metric of its own.
 */
const maxFamilyNames = (families: readonly ExportedFamily[]): Set<string> =>
  new Set(
    families
      .filter(({ definition }) => definition.type === 'histogram' && definition.max)
      .map(({ definition }) => `${definition.name}_max`),
  )

/**
 * `tag=key:value` query parameters as Spring splits them (at the first colon), or undefined when one has none,
 * which Spring refuses with 400.
 * @example parseTagFilter(['uri:/version']) // [['uri', '/version']]
 */
export function parseTagFilter(tags: readonly string[]): Label[] | undefined {
  const parsed: Label[] = []
  for (const tag of tags) {
    const colon = tag.indexOf(':')
    if (colon === -1) return undefined
    parsed.push([tag.slice(0, colon), tag.slice(colon + 1)])
  }
  return parsed
}

/** How a family's samples read as Micrometer statistics: a timer's sum is TOTAL_TIME, a summary's TOTAL. */
function statisticsOf({ definition }: ExportedFamily): readonly Statistic[] {
  if (definition.type === 'counter') return ['COUNT']
  if (definition.type === 'gauge') return ['VALUE']
  return ['COUNT', definition.unit === 'seconds' ? 'TOTAL_TIME' : 'TOTAL']
}

/**
 * One metric as Spring's `/actuator/metrics/{name}?tag=k:v` answers it: every series of that name carrying all the
 * given tags, their statistics summed, and the other tags with the values seen; undefined when no series matches
 * (Spring answers 404).
 * @example metricDescriptor(families, 'http.server.requests', [['method', 'GET']])
 */
export function metricDescriptor(
  families: readonly ExportedFamily[],
  name: string,
  tags: readonly Label[],
): MetricDescriptor | undefined {
  const carriesTags = (labels: readonly Label[]) =>
    tags.every(([key, value]) => labels.some(([label, labelValue]) => label === key && labelValue === value))
  const maxima = maxFamilyNames(families)
  const matching = families
    .filter(({ definition }) => micrometerName(definition) === name && !maxima.has(definition.name))
    .map((family) => ({ ...family, series: family.series.filter((one) => carriesTags(one.labels)) }))
    .filter((family) => family.series.length > 0)
  const [first] = matching
  if (first === undefined) return undefined
  const sums = new Map<Statistic, number>()
  const available = new Map<string, Set<string>>()
  for (const family of matching) {
    const statistics = statisticsOf(family)
    for (const series of family.series) {
      for (const statistic of statistics) {
        const value = statistic === 'COUNT' && series.count !== undefined ? series.count : series.value
        sums.set(statistic, (sums.get(statistic) ?? 0) + value)
      }
      for (const [label, value] of series.labels) {
        if (tags.some(([key]) => key === label)) continue
        available.set(label, (available.get(label) ?? new Set()).add(value))
      }
    }
  }
  for (const family of matching) {
    if (!family.definition.max) continue
    const maxFamily = families.find(({ definition }) => definition.name === `${family.definition.name}_max`)
    for (const series of maxFamily?.series ?? []) {
      if (carriesTags(series.labels)) sums.set('MAX', Math.max(sums.get('MAX') ?? 0, series.value))
    }
  }
  const { help, unit } = first.definition
  return {
    name,
    description: help,
    ...(unit !== undefined && { baseUnit: unit }),
    // Jackson writes NaN and infinities as strings; JSON has no numbers for them.
    measurements: [...sums].map(([statistic, value]) => ({
      statistic,
      value: Number.isFinite(value) ? value : String(value),
    })),
    availableTags: [...available].map(([tag, values]) => ({ tag, values: [...values].sort() })),
  }
}
