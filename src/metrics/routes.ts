import { type Context, Hono } from 'hono'
import { managerOnly } from '../http/bearer.ts'
import { buildCatalogue } from './catalogue.ts'
import { CONTENT_TYPES, renderExposition } from './exposition.ts'
import type { Exposure } from './exposure.ts'
import { acceptsGzip, chooseFormat } from './negotiate.ts'
import type { Registry } from './registry.ts'

export interface MetricsRoutesOptions {
  readonly registry: Registry
  readonly exposure: Exposure
  /** Whether this request may read the metrics (a bearer token when MANAGEMENT_TOKEN is set). */
  readonly mayScrape: (c: Context) => Promise<boolean>
}

/**
 * `/actuator/prometheus` (alias `/metrics`): the exposition, negotiated between Prometheus text 0.0.4 and
 * OpenMetrics 1.0, gzipped when accepted. `/actuator/metrics`: the catalogue of every metric that can leave.
 */
export function metricsRoutes({ registry, exposure, mayScrape }: MetricsRoutesOptions): Hono {
  const scrape = async (c: Context): Promise<Response> => {
    const format = chooseFormat(c.req.header('accept'))
    const families = await exposure.families()
    const text = renderExposition(families, format)
    const headers: Record<string, string> = {
      'content-type': CONTENT_TYPES[format],
      'cache-control': 'no-store',
      vary: 'accept, accept-encoding',
    }
    if (!acceptsGzip(c.req.header('accept-encoding'))) return new Response(text, { headers })
    const gzipped = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'))
    // workerd would otherwise compress a body that declares Content-Encoding a second time; other runtimes
    // ignore the option.
    const init = { headers: { ...headers, 'content-encoding': 'gzip' }, encodeBody: 'manual' }
    return new Response(gzipped, init as ResponseInit)
  }
  const manager = managerOnly(mayScrape)
  return new Hono()
    .get('/actuator/prometheus', manager, scrape)
    .get('/metrics', manager, scrape)
    .get('/actuator/metrics', (c) => c.json(buildCatalogue(registry.definitions(), exposure.policy.mode)))
}
