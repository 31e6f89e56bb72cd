import { Hono } from 'hono'
import type { BuildInfo } from './build-info.ts'

/**
 * GET /version: `{"package":"7.7.7","git":"123456789a","branch":"HEAD"}`, rendered once.
 * @example app.route('/', versionRoutes(buildInfo))
 */
export function versionRoutes(info: BuildInfo): Hono {
  const body = JSON.stringify({ package: info.package, git: info.git, branch: info.branch })
  return new Hono().get('/version', (c) =>
    c.body(body, 200, { 'content-type': 'application/json', 'cache-control': 'no-store' }),
  )
}
