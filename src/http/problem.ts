import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

/**
 * An RFC 9457 problem response. `detail` says what was wrong and how to fix it; it never echoes input.
 * @example problem(c, 429, 'Too many events', 'Slow down', { 'retry-after': '1' })
 */
export function problem(
  c: Context,
  status: ContentfulStatusCode,
  title: string,
  detail?: string,
  headers: Readonly<Record<string, string>> = {},
): Response {
  const body = JSON.stringify({
    type: 'about:blank',
    title,
    status,
    ...(detail === undefined ? {} : { detail }),
  })
  return c.body(body, status, { ...headers, 'content-type': 'application/problem+json' })
}
