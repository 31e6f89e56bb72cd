import { Hono } from 'hono'
import type { BuildInfo } from '../version/build-info.ts'
import { actuatorJson } from './media-type.ts'

/** A discovery link, as Spring Boot renders it: `templated` is true exactly when the href has a `{`. */
const link = (href: string) => ({ href, templated: href.includes('{') })

/**
 * `/actuator`, the discovery index with `_links`, and `/actuator/info` with build and git info from the same
 * source as /version.
 * @example app.route('/', actuatorRoutes(buildInfo, ['health', 'info']))
 */
export function actuatorRoutes(
  info: BuildInfo,
  endpoints: readonly ('health' | 'info' | 'prometheus' | 'metrics' | 'telemetry')[],
): Hono {
  const infoBody = {
    build: { version: info.package },
    git: { branch: info.branch, commit: { id: info.git } },
  }
  return new Hono()
    .get('/actuator', (c) => {
      const url = new URL(c.req.url)
      const base = `${url.origin}${url.pathname.replace(/\/+$/, '')}`
      const links: Record<string, { href: string; templated: boolean }> = { self: link(base) }
      for (const endpoint of endpoints) {
        links[endpoint] = link(`${base}/${endpoint}`)
        if (endpoint === 'health') links['health-path'] = link(`${base}/health/{*path}`)
      }
      return actuatorJson(c, { _links: links }, 200)
    })
    .get('/actuator/info', (c) => actuatorJson(c, infoBody, 200))
}
