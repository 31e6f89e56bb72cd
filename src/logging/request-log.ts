import type { MiddlewareHandler } from 'hono'
import { routeTemplate } from '../http/route-template.ts'
import type { Logger } from './logger.ts'

/**
 * Logs one line per request with method, route template, status and duration. No path, query, IP or
 * header is logged: those can carry customer data.
 */
export function requestLog(logger: Logger): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now()
    await next()
    logger.info('request', {
      method: c.req.method,
      route: routeTemplate(c),
      status: c.res.status,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
    })
  }
}
