import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

/**
 * An RFC 9457 problem response. `detail` says what was wrong and how to fix it; it never echoes input.
 * @example problem(c, 404, 'Not Found', 'No route matches GET /nope')
 */
export function problem(c: Context, status: ContentfulStatusCode, title: string, detail?: string): Response {
  const body = JSON.stringify({
    type: 'about:blank',
    title,
    status,
    ...(detail === undefined ? {} : { detail }),
  })
  return c.body(body, status, { 'content-type': 'application/problem+json' })
}
