import { DEFAULT_MAX_SERIES, type MetricDefinition } from './definition.ts'
import { type CustomerLabelPolicy, PSEUDONYM_LENGTH } from './policy.ts'

export interface CatalogueLabel {
  readonly name: string
  readonly classification: 'operational' | 'customer'
  /** What leaves the installation for this label. */
  readonly exported: string
}
export interface CatalogueEntry {
  readonly name: string
  readonly type: MetricDefinition['type']
  readonly unit: string | null
  readonly help: string
  readonly labels: readonly CatalogueLabel[]
  readonly maxSeries: number
}
/** The full list of metrics this installation exposes, and so the most that can be transmitted. */
export interface Catalogue {
  readonly customerLabels: CustomerLabelPolicy
  readonly metrics: readonly CatalogueEntry[]
}

const EXPORTED: Readonly<Record<CustomerLabelPolicy, string>> = {
  keep: 'as is',
  pseudonymize: `pseudonymized: HMAC-SHA-256 with this installation's key, first ${PSEUDONYM_LENGTH} hex characters`,
  drop: 'dropped (series that differed only in it are summed)',
}

/** The catalogue of every declared metric, from the same definitions that render the exposition. */
export function buildCatalogue(
  definitions: readonly MetricDefinition[],
  policy: CustomerLabelPolicy,
): Catalogue {
  return {
    customerLabels: policy,
    metrics: definitions.map(({ name, type, unit, help, labels = {}, maxSeries }) => ({
      name,
      type,
      unit: unit ?? null,
      help,
      labels: Object.entries(labels).map(([label, classification]) => ({
        name: label,
        classification,
        exported: classification === 'customer' ? EXPORTED[policy] : 'as is',
      })),
      maxSeries: maxSeries ?? DEFAULT_MAX_SERIES,
    })),
  }
}

/** The catalogue as the Markdown table customers read in docs/metrics.md. */
export function catalogueMarkdown(catalogue: Catalogue): string {
  const rows = catalogue.metrics.map(({ name, type, unit, help, labels, maxSeries }) => {
    const labelList =
      labels.length === 0
        ? '-'
        : labels
            .map(
              (label) =>
                `\`${label.name}\` (${label.classification}${label.classification === 'customer' ? `: ${label.exported}` : ''})`,
            )
            .join(', ')
    return `| \`${name}\` | ${type} | ${unit ?? '-'} | ${help.replace(/\|/g, '\\|')} | ${labelList} | ${maxSeries} |`
  })
  return [
    '| metric | type | unit | meaning | labels (classification) | series cap |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n')
}
