// Per-request overhead of the HTTP metrics middleware with in-process `app.request()`: a plain Hono app, the same
// app with a no-op middleware, with our `httpMetrics`, and with @hono/prometheus' `registerMetrics`, run in short
// interleaved blocks (the machine is noisy); the median and mean block per variant.
import { prometheus } from '@hono/prometheus'
import { Hono, type MiddlewareHandler } from 'hono'
import * as promClient from 'prom-client'
import { observeRequests } from '../../src/http/observe-requests.ts'
import { httpMetrics } from '../../src/metrics/http-metrics.ts'
import { createRegistry } from '../../src/metrics/registry.ts'
import { percentile } from './percentile.ts'

export interface MiddlewareSettings {
  readonly warmupRequests: number
  readonly requests: number
  readonly block: number
}

/** µs per request; the variants are, in order, the baseline, the no-op, ours and @hono/prometheus. */
export interface Variant {
  readonly name: string
  readonly medianUs: number
  readonly p25Us: number
  readonly p75Us: number
  readonly meanUs: number
}

export interface MiddlewareResult {
  readonly settings: MiddlewareSettings
  readonly variants: readonly Variant[]
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

/**
 * Times every variant in interleaved blocks.
 * @example const { variants } = await measureMiddleware({ warmupRequests: 20_000, requests: 300_000, block: 2_000 })
 */
export async function measureMiddleware(settings: MiddlewareSettings): Promise<MiddlewareResult> {
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
  for (const [, hono] of variants) await timeRequests(hono, settings.warmupRequests)
  const blocks = variants.map((): number[] => [])
  for (let block = 0; block < settings.requests / settings.block; block++) {
    // Short blocks, interleaved, each round starting with another variant: noise falls on all of them alike.
    for (let step = 0; step < variants.length; step++) {
      const index = (block + step) % variants.length
      const [, hono] = variants[index] ?? []
      if (hono) blocks[index]?.push(await timeRequests(hono, settings.block))
    }
  }
  return {
    settings,
    variants: variants.map(([name], index) => {
      const own = blocks[index] ?? []
      return {
        name,
        medianUs: percentile(own, 0.5),
        p25Us: percentile(own, 0.25),
        p75Us: percentile(own, 0.75),
        meanUs: own.reduce((sum, value) => sum + value, 0) / own.length,
      }
    }),
  }
}
