/**
 * How a label's values may be treated when they leave the installation: `operational` values (methods, route
 * templates, status codes) are product facts; `customer` values (meshWorkspace or meshPlatform identifiers)
 * are customer data and follow METRICS_CUSTOMER_LABELS.
 */
export type LabelClass = 'operational' | 'customer'

/** The kinds of metric family the registry holds (Prometheus's, without summaries). */
export type MetricType = 'counter' | 'gauge' | 'histogram'

/**
 * One metric family, declared before it is used: nothing undeclared is ever exposed. `Label` names its labels, so
 * the values given for them are checked against the declaration.
 */
export interface MetricDefinition<Label extends string = string> {
  /** snake_case with a unit suffix; counters end in `_total`. */
  readonly name: string
  /** How its samples behave: counters only rise, gauges are set, histograms count observations in buckets. */
  readonly type: MetricType
  /** One sentence saying what it measures: the `# HELP` line and the catalogue's description. */
  readonly help: string
  /** Base unit, a suffix of the name (without `_total`): `seconds`, `bytes`, `ratio`... */
  readonly unit?: string
  /** Label names in order, each with its classification. */
  readonly labels?: Readonly<Record<Label, LabelClass>>
  /** Histogram upper bounds, increasing; `+Inf` is implied. */
  readonly buckets?: readonly number[]
  /**
   * Histograms only: also expose the gauge `<name>_max`, the largest observation of the last 2 to 3 minutes, as
   * Micrometer's Prometheus registry exposes a Timer's (window-max.ts).
   */
  readonly max?: boolean
  /** Most series this family may hold; further label combinations go to one overflow series. */
  readonly maxSeries?: number
}

/** Values for every label a definition declares, by label name. */
export type LabelValues<Label extends string> = Readonly<Record<Label, string>>

/**
 * The arguments of an update: the label values first when the definition declares labels, then `Rest`.
 * @example gauge.set(5) for a gauge without labels; requests.inc({ outcome: 'forwarded' }) for one with
 */
export type WithLabels<Label extends string, Rest extends unknown[]> = [Label] extends [never]
  ? Rest
  : [labels: LabelValues<Label>, ...Rest]

/** A gauge definition in one line: most collector metrics are unlabelled gauges. */
export const gauge = (name: string, help: string, unit?: string): MetricDefinition<never> => ({
  name,
  type: 'gauge',
  help,
  ...(unit && { unit }),
})

export const DEFAULT_MAX_SERIES = 1000
const METRIC_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/
const LABEL_NAME = /^[a-z_][a-z0-9_]*$/
// `le` and `quantile` belong to histograms and summaries; `application` is on every series already (exposure.ts).
const RESERVED_LABELS = new Set(['le', 'quantile', 'application'])
// Micrometer's name for the processor count (ProcessorMetrics' system.cpu.count), which Spring dashboards query. It
// is a gauge, and promtool's lint keeps `_count` for histograms and summaries: the one finding our exposition has,
// as Spring Boot's own has it. No other gauge may end so.
const MICROMETER_COUNT_GAUGES = new Set(['system_cpu_count'])

/** Problems with a definition, as sentences; empty when it is sound. Checked where metrics are declared. */
export function definitionProblems(definition: MetricDefinition): string[] {
  const { name, type, unit, labels = {}, buckets } = definition
  const problems: string[] = []
  if (!METRIC_NAME.test(name)) problems.push(`name "${name}" must match ${METRIC_NAME}`)
  if ((type === 'counter') !== name.endsWith('_total')) {
    problems.push(`"${name}": counters, and only counters, end in "_total"`)
  }
  if (type !== 'histogram' && /_(count|sum|bucket)$/.test(name) && !MICROMETER_COUNT_GAUGES.has(name)) {
    problems.push(`"${name}": _count, _sum and _bucket end only histogram samples`)
  }
  const family = name.replace(/_total$/, '')
  if (unit !== undefined && !family.endsWith(`_${unit}`))
    problems.push(`"${name}": unit "${unit}" must end the name`)
  if (definition.help.trim() === '') problems.push(`"${name}": help must not be empty`)
  for (const label of Object.keys(labels)) {
    if (!LABEL_NAME.test(label) || label.startsWith('__') || RESERVED_LABELS.has(label)) {
      problems.push(`"${name}": label "${label}" must be snake_case and not le, quantile, application or __*`)
    }
  }
  if (definition.max && type !== 'histogram') problems.push(`"${name}": only histograms have a max`)
  // The policy sums series that differ only in a dropped customer label; maxima do not add up.
  if (definition.max && Object.values(labels).includes('customer'))
    problems.push(`"${name}": a histogram with customer labels has no max`)
  if (type === 'histogram') {
    const sorted = (buckets ?? []).every(
      (bound, index, all) => index === 0 || bound > (all[index - 1] ?? bound),
    )
    if (!buckets || buckets.length === 0 || !sorted)
      problems.push(`"${name}": histogram buckets must increase`)
  }
  return problems
}

/** Throws on a broken built-in definition: a programming error, caught by any test that creates the app. */
export function assertDefinition(definition: MetricDefinition): MetricDefinition {
  const problems = definitionProblems(definition)
  if (problems.length > 0) throw new Error(`Invalid metric definition: ${problems.join('; ')}`)
  return definition
}
