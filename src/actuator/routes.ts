import { Hono } from 'hono'
import type { BuildInfo } from '../version/build-info.ts'
import { actuatorOperation } from './operation.ts'

/** The endpoints the discovery index links, by their id under `/actuator`. */
export type ActuatorEndpoint =
  | 'health'
  | 'info'
  | 'prometheus'
  | 'metrics'
  | 'metrics-catalogue'
  | 'telemetry'

/**
 * The path selectors of endpoints that take one, linked as Spring links them: `<id>-<selector>`, rendered
 * `{*path}` for a selector that takes the rest of the path (`health-path`), `{name}` for one segment
 * (`metrics-requiredMetricName`).
 */
const SELECTORS: Partial<Record<ActuatorEndpoint, { readonly name: string; readonly template: string }>> = {
  health: { name: 'path', template: '{*path}' },
  metrics: { name: 'requiredMetricName', template: '{requiredMetricName}' },
}

/** A discovery link, as Spring Boot renders it: `templated` is true exactly when the href has a `{`. */
const link = (href: string) => ({ href, templated: href.includes('{') })

/**
 * `/actuator`, the discovery index with `_links`, and `/actuator/info` with build and git info from the same
 * source as /version; both negotiated like every actuator endpoint.
 * @example app.route('/', actuatorRoutes(buildInfo, ['health', 'info']))
 */
export function actuatorRoutes(info: BuildInfo, endpoints: readonly ActuatorEndpoint[]): Hono {
  const infoBody = {
    build: { version: info.package },
    git: { branch: info.branch, commit: { id: info.git } },
  }
  return new Hono()
    .get(
      '/actuator',
      actuatorOperation((c) => {
        const url = new URL(c.req.url)
        const base = `${url.origin}${url.pathname.replace(/\/+$/, '')}`
        const links: Record<string, { href: string; templated: boolean }> = { self: link(base) }
        for (const endpoint of endpoints) {
          links[endpoint] = link(`${base}/${endpoint}`)
          const selector = SELECTORS[endpoint]
          if (selector)
            links[`${endpoint}-${selector.name}`] = link(`${base}/${endpoint}/${selector.template}`)
        }
        return { body: { _links: links } }
      }),
    )
    .get(
      '/actuator/info',
      actuatorOperation(() => ({ body: infoBody })),
    )
}
