import { type Context, Hono } from 'hono'
import { actuatorOperation } from '../actuator/operation.ts'
import { type IsManager, managerOnly } from '../http/bearer.ts'
import { problem } from '../http/problem.ts'
import { buildCatalogue } from './catalogue.ts'
import { CONTENT_TYPES, renderExposition } from './exposition.ts'
import type { Exposure } from './exposure.ts'
import { metricDescriptor, metricNames, parseTagFilter } from './metric-descriptor.ts'
import { acceptsGzip, chooseFormat } from './negotiate.ts'
import type { Registry } from './registry.ts'

export interface MetricsRoutesOptions {
  readonly registry: Registry
  readonly exposure: Exposure
  /** Whether this request may read the metrics (a bearer token when MANAGEMENT_TOKEN is set). */
  readonly isManager: IsManager
}

/**
 * `/actuator/prometheus` (alias `/metrics`): the exposition, negotiated between Prometheus text 0.0.4 and
 * OpenMetrics 1.0, gzipped when accepted. `/actuator/metrics` and `/actuator/metrics/{name}`: the same values as
 * Spring Boot's metrics endpoint shows them. `/actuator/metrics-catalogue`: every metric that can leave.
 */
export function metricsRoutes({ registry, exposure, isManager }: MetricsRoutesOptions): Hono {
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
  const manager = managerOnly(isManager)
  return new Hono()
    .get('/actuator/prometheus', manager, scrape)
    .get('/metrics', manager, scrape)
    .get(
      '/actuator/metrics',
      manager,
      actuatorOperation(async () => ({ body: metricNames(await exposure.families()) })),
    )
    .get(
      '/actuator/metrics/:name',
      manager,
      actuatorOperation(async (c) => {
        const tags = parseTagFilter(c.req.queries('tag') ?? [])
        // Spring's MetricsEndpoint.parseTag message; the tag itself is not echoed.
        if (tags === undefined)
          return problem(c, 400, 'Bad Request', "Each tag parameter must be in the form 'key:value'")
        const descriptor = metricDescriptor(await exposure.families(), c.req.param('name') ?? '', tags)
        return descriptor && { body: descriptor }
      }),
    )
    .get(
      '/actuator/metrics-catalogue',
      actuatorOperation(() => ({ body: buildCatalogue(registry.definitions(), exposure.policy.mode) })),
    )
}
