import { type Goal, type Heading, type Section, verdict } from '../section.ts'
import type { MetricsResult } from './measure.ts'
import { SERIES } from './render.ts'

/** This benchmark's title and command in bench/RESULTS.md. */
export const METRICS: Heading = {
  title: 'Metrics rendering and middleware overhead',
  command: 'npm run bench:metrics',
}

/** Rendering at least twice as fast as prom-client. */
const RENDER_GOAL = 2

const DESCRIPTION = `One Node process runs ours and the reference libraries side by side, interleaved, so machine noise
falls on all of them alike.

1. Rendering: a histogram family with 4 labels (method, uri, status, outcome) plus the \`application\` label every
   series carries, and the 14 default buckets, 10,000 label combinations observed 3 times each. Ours renders as
   the \`/actuator/prometheus\` route does (\`registry.collect()\`, \`exportFamilies\` with the label cache kept across
   scrapes under the \`keep\` policy, \`renderExposition\`), in Prometheus 0.0.4 and OpenMetrics 1.0. The reference is
   prom-client's \`registry.metrics()\` on the same observations, with \`application\` as its default label; the ratio
   is its median over ours. The script checks that the outputs have the same line count. Goal: at least
   ${RENDER_GOAL}x faster than prom-client.
2. Middleware: in-process \`app.request()\` to \`/api/workspaces/:id\` (a new id each request, answered with
   \`c.json({ ok: true })\`), on a plain Hono app (the baseline), the same with a no-op middleware (what Hono charges
   for any middleware), with our \`observeRequests([httpMetrics(createRegistry())])\`, and with @hono/prometheus's \`registerMetrics\`
   (the reference), in short blocks interleaved across the variants, median block: blocks cost more just before a
   major GC than just after one, and many short interleaved blocks give every variant the same mix of that cycle
   and of machine noise. Goal: less overhead per request than @hono/prometheus.`

const ms = (value: number): string => `${value.toFixed(1)} ms`
const us = (value: number): string => `${value.toFixed(2)} µs`
const ratio = (value: number): string => `${value.toFixed(2)}x`

/** Both tables and the overhead ratio, as `npm run bench:metrics` has always printed them. */
export function metricsSection({ render, middleware }: MetricsResult): Section {
  const reference = render.renderers.at(-1)?.medianMs ?? Number.NaN
  const lines = [
    `### Rendering ${SERIES.toLocaleString('en')} histogram series (median and p95 of ${render.settings.renders} renders)\n`,
    `| renderer | lines | median | p95 | vs prom-client (its median / this median) | goal: ≥ ${RENDER_GOAL}x |`,
    '| --- | --- | --- | --- | --- | --- |',
  ]
  const goals: Goal[] = []
  for (const [index, renderer] of render.renderers.entries()) {
    const speedup = reference / renderer.medianMs
    const own = index < render.renderers.length - 1
    lines.push(
      `| ${renderer.name} | ${renderer.lines} | ${ms(renderer.medianMs)} | ${ms(renderer.p95Ms)} | ${ratio(speedup)} | ${own ? verdict(speedup >= RENDER_GOAL) : ''} |`,
    )
    if (own)
      goals.push({
        measure: `rendering ${SERIES.toLocaleString('en')} series, ${renderer.name}, vs prom-client`,
        goal: `≥ ${RENDER_GOAL}x faster`,
        value: ratio(speedup),
        met: speedup >= RENDER_GOAL,
      })
  }
  const { requests, block } = middleware.settings
  const [baseline, , ours, hono] = middleware.variants.map((variant) => variant.medianUs)
  const overhead = ((hono ?? Number.NaN) - (baseline ?? 0)) / ((ours ?? Number.NaN) - (baseline ?? 0))
  lines.push(
    `\n### Middleware overhead (${requests.toLocaleString('en')} requests per variant in interleaved blocks of ${block.toLocaleString('en')}, median block)\n`,
    '| variant | per request | interquartile range | mean | overhead over baseline |',
    '| --- | --- | --- | --- | --- |',
    ...middleware.variants.map(
      (variant, index) =>
        `| ${variant.name} | ${us(variant.medianUs)} | ${us(variant.p25Us)} to ${us(variant.p75Us)} | ${us(variant.meanUs)} | ${index === 0 ? '' : us(variant.medianUs - (baseline ?? 0))} |`,
    ),
    `\n@hono/prometheus overhead / ours: ${ratio(overhead)} (goal: > 1.00x, less overhead than @hono/prometheus: ${verdict(overhead > 1)})`,
  )
  goals.push({
    measure: 'HTTP metrics middleware, @hono/prometheus overhead / ours',
    goal: '> 1x',
    value: ratio(overhead),
    met: overhead > 1,
  })
  return {
    ...METRICS,
    description: DESCRIPTION,
    body: lines.join('\n'),
    goals,
  }
}
