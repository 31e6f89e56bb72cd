// What operators' queries may name: the metrics docs/metrics.md lists, a histogram as its _bucket, _count and _sum
// series. The shipped dashboard and alert rules are checked against it.
import { readFileSync } from 'node:fs'
import { PROJECT_ROOT } from './project.ts'

/** Every series name the module exposes, from the table of docs/metrics.md. */
export function documentedSeriesNames(): Set<string> {
  const doc = readFileSync(`${PROJECT_ROOT}docs/metrics.md`, 'utf8')
  const names = new Set<string>()
  for (const [, name = '', type] of doc.matchAll(
    /^\| `([a-z_:][a-z0-9_:]*)` \| (counter|gauge|histogram) \|/gm,
  )) {
    if (type === 'histogram')
      for (const suffix of ['_bucket', '_count', '_sum']) names.add(`${name}${suffix}`)
    else names.add(name)
  }
  return names
}

/**
 * The metric names a PromQL expression selects. The shipped queries write every selector with braces
 * (`up{job="..."}`), so a name is an identifier right before `{`; quoted label values are skipped.
 * @example selectedNames('rate(http_server_requests_seconds_count{uri="/x"}[5m])') // ['http_server_requests_seconds_count']
 */
export function selectedNames(expr: string): string[] {
  const unquoted = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""')
  return [...unquoted.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{/g)].map(([, name = '']) => name)
}
