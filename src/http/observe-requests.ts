import type { MiddlewareHandler } from 'hono'
import { routeTemplate } from './route-template.ts'

/** What a request came to. */
export interface ObservedRequest {
  readonly method: string
  /** The route template that answered (`routeTemplate`), never the raw path. */
  readonly route: string
  readonly status: number
  readonly durationMs: number
  /** What a route threw; the app's error handler answered it (500). */
  readonly error: Error | undefined
}

/** One concern that watches every request: the HTTP metrics, the request log. */
export interface RequestObserver {
  /** A request came in; `left` follows for it. */
  readonly entered?: () => void
  readonly left: (request: ObservedRequest) => void
}

/**
 * One middleware for everything that watches requests: they share one clock reading, one route lookup and one
 * `await` per request, which is what a cached answer's own work is the size of.
 * @example app.use(observeRequests([httpMetrics(registry), requestLog(logger)]))
 */
export function observeRequests(observers: readonly RequestObserver[]): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now()
    for (const observer of observers) observer.entered?.()
    try {
      await next()
    } finally {
      const request: ObservedRequest = {
        method: c.req.method,
        route: routeTemplate(c),
        status: c.res.status,
        durationMs: performance.now() - started,
        // Hono's compose hands a thrown error to onError and keeps it in c.error.
        error: c.error,
      }
      for (const observer of observers) observer.left(request)
    }
  }
}
