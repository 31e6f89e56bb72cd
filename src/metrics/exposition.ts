import type { ExportedFamily } from './export.ts'

export type ExpositionFormat = 'prometheus' | 'openmetrics'

export const CONTENT_TYPES: Readonly<Record<ExpositionFormat, string>> = {
  prometheus: 'text/plain; version=0.0.4; charset=utf-8',
  openmetrics: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
}

const escapeHelp = (help: string, format: ExpositionFormat): string => {
  const escaped = help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')
  // OpenMetrics' grammar has no bare `"` in HELP; the 0.0.4 format leaves it as is.
  return format === 'openmetrics' ? escaped.replace(/"/g, '\\"') : escaped
}

const formatNumber = (value: number): string =>
  Number.isNaN(value) ? 'NaN' : value === Infinity ? '+Inf' : value === -Infinity ? '-Inf' : String(value)

/**
 * A bucket bound as the `le` label value: OpenMetrics wants a canonical float (`1.0`, not `1`).
 * @example formatBound(Infinity, 'prometheus') // '+Inf'
 */
export const formatBound = (bound: number, format: ExpositionFormat): string =>
  format === 'openmetrics' && Number.isInteger(bound) ? `${bound}.0` : formatNumber(bound)

const braces = (text: string): string => (text === '' ? '' : `{${text}}`)

/**
 * Renders families in the Prometheus text format 0.0.4 or OpenMetrics 1.0: one uninterrupted group per family,
 * metadata first, histogram buckets cumulative and ending in `+Inf` equal to `_count`, `# EOF` for OpenMetrics.
 */
export function renderExposition(families: readonly ExportedFamily[], format: ExpositionFormat): string {
  const lines: string[] = []
  for (const { definition, series } of families) {
    const { name, type, help, unit, buckets = [] } = definition
    // OpenMetrics names the counter family without `_total` and puts the suffix on the sample.
    const family = format === 'openmetrics' && type === 'counter' ? name.slice(0, -'_total'.length) : name
    if (format === 'openmetrics') {
      lines.push(`# TYPE ${family} ${type}`)
      if (unit !== undefined) lines.push(`# UNIT ${family} ${unit}`)
      lines.push(`# HELP ${family} ${escapeHelp(help, format)}`)
    } else {
      lines.push(`# HELP ${name} ${escapeHelp(help, format)}`, `# TYPE ${name} ${type}`)
    }
    if (type !== 'histogram') {
      for (const one of series) lines.push(`${name}${braces(one.labelText)} ${formatNumber(one.value)}`)
      continue
    }
    // Built once per family and one string per series: a 10k-series histogram is 170k lines.
    const bucketEnds = [...buckets.map((bound) => formatBound(bound, format)), '+Inf'].map(
      (bound) => `le="${bound}"} `,
    )
    for (const one of series) {
      const open = one.labelText === '' ? `${name}_bucket{` : `${name}_bucket{${one.labelText},`
      let text = ''
      let cumulative = 0
      for (let index = 0; index < bucketEnds.length; index++) {
        cumulative += one.counts?.[index] ?? 0
        text += `${open}${bucketEnds[index]}${cumulative}\n`
      }
      const labels = braces(one.labelText)
      lines.push(
        `${text}${name}_sum${labels} ${formatNumber(one.value)}\n${name}_count${labels} ${one.count ?? cumulative}`,
      )
    }
  }
  if (format === 'openmetrics') lines.push('# EOF')
  return `${lines.join('\n')}\n`
}
