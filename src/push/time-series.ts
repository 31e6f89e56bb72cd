import type { ExportedFamily, Label } from '../metrics/export.ts'

/** One series with its one sample of this push: labels sorted by name, `__name__` among them. */
export interface TimeSeries {
  readonly labels: readonly Label[]
  readonly value: number
}

const byName = (a: Label, b: Label): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)

/** `le` as the text exposition writes it, so pushed and scraped buckets are the same series. */
const bound = (value: number): string => (value === Infinity ? '+Inf' : String(value))

/**
 * The series a push sends, named and labelled as `/actuator/prometheus` exposes them, plus the external labels
 * (a label the series has already wins, as Prometheus' external labels do). Histograms become their classic
 * cumulative `_bucket` series, `_sum` and `_count`.
 * @example toTimeSeries(await exposure.families(), [['installation', 'acme-prod'], ['instance', 'panel-0:8080']])
 */
export function toTimeSeries(families: readonly ExportedFamily[], external: readonly Label[]): TimeSeries[] {
  const out: TimeSeries[] = []
  for (const { definition, series } of families) {
    const { name, type, buckets = [] } = definition
    for (const one of series) {
      // Remote write 1.0: a label with an empty value is no label at all.
      const own = one.labels.filter(([, value]) => value !== '')
      const extra = external.filter(([label]) => !own.some(([ownName]) => ownName === label))
      const labelled = (metric: string, value: number, more: readonly Label[] = []) =>
        out.push({ labels: [['__name__', metric] as const, ...own, ...more, ...extra].sort(byName), value })
      if (type !== 'histogram') {
        labelled(name, one.value)
        continue
      }
      let cumulative = 0
      for (const [index, upper] of [...buckets, Infinity].entries()) {
        cumulative += one.counts?.[index] ?? 0
        labelled(`${name}_bucket`, cumulative, [['le', bound(upper)]])
      }
      labelled(`${name}_sum`, one.value)
      labelled(`${name}_count`, one.count ?? cumulative)
    }
  }
  return out
}
