// Rendering 10,000 histogram series (4 labels, 14 buckets, plus the `application` label every series carries) the
// way the /actuator/prometheus route does (collect, export with the label cache kept across scrapes, render), in
// Prometheus 0.0.4 and OpenMetrics, against prom-client's `registry.metrics()` with the same label as a default
// label, interleaved in one process so machine noise falls on all of them alike.
import * as promClient from 'prom-client'
import { exportFamilies } from '../../src/metrics/export.ts'
import { type ExpositionFormat, renderExposition } from '../../src/metrics/exposition.ts'
import { createLabelPolicy } from '../../src/metrics/policy.ts'
import { createRegistry } from '../../src/metrics/registry.ts'
import { percentile } from './percentile.ts'

export const SERIES = 10_000
const OBSERVATIONS_PER_SERIES = 3
const APPLICATION = ['application', 'meshpanel'] as const
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10]
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']
const STATUSES = [
  ['101', 'INFORMATIONAL'],
  ['200', 'SUCCESS'],
  ['302', 'REDIRECTION'],
  ['404', 'CLIENT_ERROR'],
  ['500', 'SERVER_ERROR'],
] as const

export interface RenderSettings {
  readonly warmups: number
  readonly renders: number
}

/** One renderer's figures; the reference (prom-client) is the last of the list. */
export interface Renderer {
  readonly name: string
  readonly lines: number
  readonly medianMs: number
  readonly p95Ms: number
}

export interface RenderResult {
  readonly settings: RenderSettings
  readonly renderers: readonly Renderer[]
}

/** 10,000 distinct label combinations: 5 methods x 400 route templates x 5 statuses. */
const labelSets = Array.from({ length: SERIES }, (_, index) => {
  const [status, outcome] = STATUSES[Math.floor(index / METHODS.length) % STATUSES.length] ?? STATUSES[0]
  const method = METHODS[index % METHODS.length] ?? 'GET'
  const uri = `/api/resource-${Math.floor(index / (METHODS.length * STATUSES.length))}/:id`
  return [method, uri, status, outcome] as const
})
/** A deterministic spread of durations over 0 to 12 s, so every bucket, +Inf included, gets observations. */
const duration = (series: number, observation: number): number =>
  ((series * 7919 + observation * 104_729) % 12_000) / 1000
const lineCount = (text: string): number => text.split('\n').length - 1

/**
 * Renders ours (both formats) and prom-client's in turn, `warmups` then `renders` times each.
 * @example const { renderers } = await measureRender({ warmups: 3, renders: 15 })
 */
export async function measureRender(settings: RenderSettings): Promise<RenderResult> {
  const ours = createRegistry()
  const histogram = ours.histogram({
    name: 'bench_request_seconds',
    type: 'histogram',
    unit: 'seconds',
    help: 'Benchmark requests by method, route template, status and outcome.',
    labels: { method: 'operational', uri: 'operational', status: 'operational', outcome: 'operational' },
    buckets: BUCKETS,
    maxSeries: 20_000,
  })
  const reference = new promClient.Registry()
  reference.setDefaultLabels({ application: APPLICATION[1] })
  const referenceHistogram = new promClient.Histogram({
    name: 'bench_request_seconds',
    help: 'Benchmark requests by method, route template, status and outcome.',
    labelNames: ['method', 'uri', 'status', 'outcome'],
    buckets: BUCKETS,
    registers: [reference],
  })
  for (let observation = 0; observation < OBSERVATIONS_PER_SERIES; observation++) {
    for (const [index, [method, uri, status, outcome]] of labelSets.entries()) {
      const value = duration(index, observation)
      histogram.observe({ method, uri, status, outcome }, value)
      referenceHistogram.observe({ method, uri, status, outcome }, value)
    }
  }

  const policy = createLabelPolicy('keep', undefined)
  const cache: Parameters<typeof exportFamilies>[2] = new WeakMap()
  const renderOurs = async (format: ExpositionFormat): Promise<string> =>
    renderExposition(await exportFamilies(await ours.collect(), policy, cache, [APPLICATION]), format)
  const contenders: ReadonlyArray<readonly [string, () => Promise<string>]> = [
    ['ours, Prometheus 0.0.4', () => renderOurs('prometheus')],
    ['ours, OpenMetrics 1.0', () => renderOurs('openmetrics')],
    ['prom-client 15.1.3 `registry.metrics()`', () => reference.metrics()],
  ]
  const times = contenders.map((): number[] => [])
  const lines: number[] = []
  // Interleaved, so machine noise falls on every contender alike.
  for (let render = 0; render < settings.warmups + settings.renders; render++) {
    for (const [index, [, run]] of contenders.entries()) {
      const started = performance.now()
      const text = await run()
      const elapsed = performance.now() - started
      if (render >= settings.warmups) times[index]?.push(elapsed)
      lines[index] = lineCount(text)
    }
  }
  const [oursLines, openMetricsLines, referenceLines] = lines
  // OpenMetrics adds `# UNIT` and `# EOF`.
  if (oursLines !== referenceLines || openMetricsLines !== (referenceLines ?? 0) + 2) {
    throw new Error(`line counts differ: ${lines.join(', ')}`)
  }
  const renderers = contenders.map(([name], index) => ({
    name,
    lines: lines[index] ?? 0,
    medianMs: percentile(times[index] ?? [], 0.5),
    p95Ms: percentile(times[index] ?? [], 0.95),
  }))
  return { settings, renderers }
}
