// Metrics, against reference libraries run in the same process:
//  1. rendering 10,000 histogram series (4 labels, 14 buckets, plus the `application` label every series carries)
//     the way the /actuator/prometheus route does (collect, export with the label cache kept across scrapes,
//     render), in Prometheus 0.0.4 and OpenMetrics, against prom-client's `registry.metrics()` with the same
//     label as a default label: median and p95 of 15 renders after 3 warm-ups;
//  2. per-request overhead of the HTTP metrics middleware with in-process `app.request()`: a plain Hono app,
//     the same app with a no-op middleware, with our `httpMetrics`, and with @hono/prometheus' `registerMetrics`;
//     300,000 requests per variant after 20,000 warm-ups, run in interleaved blocks of 2,000 (the machine is
//     noisy), the median and mean block per variant.
// Run: npm run bench:metrics
import { prometheus } from '@hono/prometheus'
import { Hono, type MiddlewareHandler } from 'hono'
import * as promClient from 'prom-client'
import { observeRequests } from '../src/http/observe-requests.ts'
import { exportFamilies } from '../src/metrics/export.ts'
import { type ExpositionFormat, renderExposition } from '../src/metrics/exposition.ts'
import { httpMetrics } from '../src/metrics/http-metrics.ts'
import { createLabelPolicy } from '../src/metrics/policy.ts'
import { createRegistry } from '../src/metrics/registry.ts'
import { environmentLine } from './environment.ts'

const SERIES = 10_000
const OBSERVATIONS_PER_SERIES = 3
const RENDER_WARMUPS = 3
const RENDERS = 15
const WARMUP_REQUESTS = 20_000
const REQUESTS = 300_000
const BLOCK = 2_000

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

const median = (values: readonly number[]): number => percentile(values, 0.5)
function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)] ?? Number.NaN
}
const lineCount = (text: string): number => text.split('\n').length - 1
const ms = (value: number): string => `${value.toFixed(1)} ms`
const us = (value: number): string => `${value.toFixed(2)} µs`
const ratio = (value: number): string => `${value.toFixed(2)}x`

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

async function renderBenchmark(): Promise<void> {
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
  for (let render = 0; render < RENDER_WARMUPS + RENDERS; render++) {
    for (const [index, [, run]] of contenders.entries()) {
      const started = performance.now()
      const text = await run()
      const elapsed = performance.now() - started
      if (render >= RENDER_WARMUPS) times[index]?.push(elapsed)
      lines[index] = lineCount(text)
    }
  }
  const [oursLines, openMetricsLines, referenceLines] = lines
  // OpenMetrics adds `# UNIT` and `# EOF`.
  if (oursLines !== referenceLines || openMetricsLines !== (referenceLines ?? 0) + 2) {
    throw new Error(`line counts differ: ${lines.join(', ')}`)
  }
  const referenceMedian = median(times[2] ?? [])
  console.log(
    `### Rendering ${SERIES.toLocaleString('en')} histogram series (median and p95 of ${RENDERS} renders)\n`,
  )
  console.log('| renderer | lines | median | p95 | prom-client median / this median |')
  console.log('| --- | --- | --- | --- | --- |')
  for (const [index, [name]] of contenders.entries()) {
    const own = times[index] ?? []
    console.log(
      `| ${name} | ${lines[index]} | ${ms(median(own))} | ${ms(percentile(own, 0.95))} | ${ratio(referenceMedian / median(own))} |`,
    )
  }
}

function app(middleware: MiddlewareHandler | undefined): Hono {
  const hono = new Hono()
  if (middleware) hono.use('*', middleware)
  return hono.get('/api/workspaces/:id', (c) => c.json({ ok: true }))
}

let nextWorkspaceId = 0
/** Microseconds per request for `requests` sequential in-process requests, each to a new workspace id. */
async function timeRequests(hono: Hono, requests: number): Promise<number> {
  const started = performance.now()
  for (let request = 0; request < requests; request++) {
    const response = await hono.request(`/api/workspaces/${nextWorkspaceId++}`)
    if (response.status !== 200) throw new Error(`expected 200, got ${response.status}`)
  }
  return ((performance.now() - started) * 1000) / requests
}

async function middlewareBenchmark(): Promise<void> {
  const variants: ReadonlyArray<readonly [string, Hono]> = [
    ['plain Hono (baseline)', app(undefined)],
    // What any middleware costs in Hono (its compose chain), before it does anything.
    ['no-op middleware `(c, next) => next()`', app((_c, next) => next())],
    [
      'ours: `observeRequests([httpMetrics(createRegistry())])`',
      app(observeRequests([httpMetrics(createRegistry())])),
    ],
    [
      '@hono/prometheus 1.0.3 `registerMetrics`',
      app(prometheus({ registry: new promClient.Registry() }).registerMetrics),
    ],
  ]
  for (const [, hono] of variants) await timeRequests(hono, WARMUP_REQUESTS)
  const blocks = variants.map((): number[] => [])
  for (let block = 0; block < REQUESTS / BLOCK; block++) {
    // Short blocks, interleaved, each round starting with another variant: noise falls on all of them alike.
    for (let step = 0; step < variants.length; step++) {
      const index = (block + step) % variants.length
      const [, hono] = variants[index] ?? []
      if (hono) blocks[index]?.push(await timeRequests(hono, BLOCK))
    }
  }
  const medians = blocks.map(median)
  const [baseline = Number.NaN, , ours = Number.NaN, reference = Number.NaN] = medians
  console.log(
    `\n### Middleware overhead (${REQUESTS.toLocaleString('en')} requests per variant in interleaved blocks of ${BLOCK.toLocaleString('en')}, median block)\n`,
  )
  console.log('| variant | per request | interquartile range | mean | overhead over baseline |')
  console.log('| --- | --- | --- | --- | --- |')
  for (const [index, [name]] of variants.entries()) {
    const own = blocks[index] ?? []
    const range = `${us(percentile(own, 0.25))} to ${us(percentile(own, 0.75))}`
    const overhead = index === 0 ? '' : us((medians[index] ?? Number.NaN) - baseline)
    const mean = own.reduce((sum, value) => sum + value, 0) / own.length
    console.log(`| ${name} | ${us(medians[index] ?? Number.NaN)} | ${range} | ${us(mean)} | ${overhead} |`)
  }
  console.log(`\n@hono/prometheus overhead / ours: ${ratio((reference - baseline) / (ours - baseline))}`)
}

console.log(`${environmentLine()}\n`)
await renderBenchmark()
await middlewareBenchmark()
