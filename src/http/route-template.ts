import type { Context } from 'hono'
import { routePath } from 'hono/route'

/** Stands for every request no route answered, so raw paths never become labels (Micrometer's name for it). */
const UNMATCHED_ROUTE = 'NOT_FOUND'

/**
 * The route template that answered (`/actuator/health/:component`), never the raw path, which may carry
 * identifiers and is unbounded. Call it after `await next()`.
 */
export function routeTemplate(c: Context): string {
  const template = routePath(c)
  // When no route answers, the last handler that ran is a wildcard middleware and the 404 comes from notFound.
  return template === '' || (c.res.status === 404 && template.endsWith('*')) ? UNMATCHED_ROUTE : template
}
