// Grafana dashboards read as Grafana reads them, without Grafana: the queries of every panel, template variables
// filled in, and `label_values(...)` variable queries answered by a Prometheus's HTTP API.
import { readFileSync } from 'node:fs'

export interface GrafanaTarget {
  readonly expr?: string
  readonly refId?: string
  readonly legendFormat?: string
  readonly datasource?: unknown
}
export interface GrafanaPanel {
  readonly id?: number
  readonly type: string
  readonly title?: string
  readonly description?: string
  readonly datasource?: unknown
  readonly gridPos?: { readonly h: number; readonly w: number; readonly x: number; readonly y: number }
  readonly targets?: readonly GrafanaTarget[]
  /** A collapsed row holds its panels. */
  readonly panels?: readonly GrafanaPanel[]
}
export interface GrafanaVariable {
  readonly name: string
  readonly type: string
  readonly query?: string | { readonly query?: string }
  readonly definition?: string
  readonly datasource?: unknown
  readonly multi?: boolean
  readonly includeAll?: boolean
}
export interface GrafanaDashboard {
  readonly title: string
  readonly uid?: string
  readonly id?: number | null
  readonly panels: readonly GrafanaPanel[]
  readonly templating: { readonly list: readonly GrafanaVariable[] }
}

/** One query of one panel. */
export interface PanelQuery {
  readonly panel: string
  readonly refId: string
  readonly expr: string
}

export const readDashboard = (file: string): GrafanaDashboard =>
  JSON.parse(readFileSync(file, 'utf8')) as GrafanaDashboard

/** Every panel, those inside collapsed rows too, rows themselves left out. */
export function panelsOf(dashboard: Pick<GrafanaDashboard, 'panels'>): GrafanaPanel[] {
  return dashboard.panels.flatMap((panel) => (panel.type === 'row' ? [...(panel.panels ?? [])] : [panel]))
}

/** Every query of every panel, in the dashboard's order. */
export function panelQueries(dashboard: Pick<GrafanaDashboard, 'panels'>): PanelQuery[] {
  return panelsOf(dashboard).flatMap((panel) =>
    (panel.targets ?? []).flatMap(({ expr, refId = '' }) =>
      expr === undefined ? [] : [{ panel: panel.title ?? `#${panel.id}`, refId, expr }],
    ),
  )
}

/** The text of a query variable's query, whichever of Grafana's two shapes it was saved in. */
export const variableQuery = (variable: GrafanaVariable): string =>
  typeof variable.query === 'string' ? variable.query : (variable.query?.query ?? variable.definition ?? '')

/**
 * Replaces Grafana's variables (`$name`, `${name}`, `[[name]]`) by their values, as Grafana does before it sends a
 * query; names missing from `values` stay, so a test can tell.
 * @example fillVariables('up{instance=~"$instance"}[$__rate_interval]', { instance: 'a:80', __rate_interval: '1m' })
 */
export function fillVariables(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(
    /\$\{(\w+)(?::\w+)?\}|\[\[(\w+)\]\]|\$(\w+)/g,
    (whole, braced?: string, bracketed?: string, bare?: string) =>
      values[braced ?? bracketed ?? bare ?? ''] ?? whole,
  )
}

/**
 * Answers Grafana's `label_values(label)` and `label_values(selector, label)` from a Prometheus, as the
 * Prometheus data source does (`/api/v1/label/<label>/values`, with `match[]` for a selector).
 * @example await labelValues(prometheus.url, 'label_values(up{job="x"}, instance)') // ['127.0.0.1:8080']
 */
export async function labelValues(prometheusUrl: string, query: string): Promise<string[]> {
  const match = /^\s*label_values\(\s*(?:(.+?)\s*,\s*)?(\w+)\s*\)\s*$/.exec(query)
  if (match === null) throw new Error(`not a label_values() query: ${query}`)
  const [, selector, label] = match
  const url = new URL(`/api/v1/label/${label}/values`, prometheusUrl)
  if (selector !== undefined) url.searchParams.set('match[]', selector)
  const body = (await (await fetch(url)).json()) as { status: string; data: string[] }
  if (body.status !== 'success') throw new Error(`${query}: ${JSON.stringify(body)}`)
  return body.data
}

/**
 * A value of a multi-value or include-All variable as Grafana's Prometheus data source writes it into a query:
 * regular expression characters escaped for `=~` (its `prometheusSpecialRegexEscape`).
 * @example multiValue('127.0.0.1:8080') // '127\\\\.0\\\\.0\\\\.1:8080'
 */
export const multiValue = (value: string): string =>
  value.replace(/\\/g, '\\\\\\\\').replace(/[$^*{}[\]'+?.()|]/g, '\\\\$&')
