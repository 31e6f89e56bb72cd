import { type Context, type Handler, Hono, type NotFoundHandler } from 'hono'
import { matchedRoutes } from 'hono/route'
import type { RequestObserver } from './observe-requests.ts'
import { routeLabel } from './route-template.ts'

// Whatever a handler throws, Hono hands to the app's error handler, which answers 500 (app.ts).
const THROWN = 500

function left(
  observers: readonly RequestObserver[],
  c: Context,
  path: string,
  started: number,
  status: number,
  error?: Error,
): void {
  const request = {
    method: c.req.method,
    route: routeLabel(path, status),
    status,
    durationMs: performance.now() - started,
    error,
  }
  for (const observer of observers) observer.left(request)
}

function observed(observers: readonly RequestObserver[], path: string, handler: Handler): Handler {
  return (c, next) => {
    // The first handler that matched observes the request; a route's later handlers run inside it.
    if (c.req.routeIndex !== 0) return handler(c, next)
    for (const observer of observers) observer.entered?.()
    const started = performance.now()
    let answer: ReturnType<Handler>
    try {
      answer = handler(c, next)
    } catch (error) {
      left(observers, c, path, started, THROWN, error as Error)
      throw error
    }
    if (!(answer instanceof Promise)) {
      left(observers, c, path, started, answer.status)
      return answer
    }
    return answer.then(
      (response) => {
        // A middleware resolves with what next() gave it, not a response: by then compose has put the answer of the
        // handlers after it in c.res, or handed what they threw to the error handler (c.error).
        left(
          observers,
          c,
          path,
          started,
          response instanceof Response ? response.status : c.res.status,
          c.error,
        )
        return response
      },
      (error: Error) => {
        left(observers, c, path, started, THROWN, error)
        throw error
      },
    )
  }
}

/**
 * The routes of `routes`, observing their own requests: for an app that is the whole server, with no host routes
 * to cover. Without a middleware in front, Hono answers a route that has one handler without its compose chain
 * (hono-base.js #dispatch): no async dispatch and no promise for a synchronous answer, a fifth of the time of a
 * cached answer. A duration starts when the route's first handler is called, after routing.
 * @example app.route('/', observeEachRoute(versionRoutes(info), [httpMetrics(registry)]))
 */
export function observeEachRoute(routes: Hono, observers: readonly RequestObserver[]): Hono {
  const observedRoutes = new Hono()
  for (const { method, path, handler } of routes.routes) {
    observedRoutes.on(method, path, observed(observers, path, handler))
  }
  return observedRoutes
}

/**
 * `notFound` observed as a request that no route matched (`NOT_FOUND`), for the app `observeEachRoute` serves.
 * @example app.notFound(observeNotFound((c) => c.text('Not Found', 404), observers))
 */
export function observeNotFound(
  notFound: NotFoundHandler,
  observers: readonly RequestObserver[],
): NotFoundHandler {
  const unmatched = observed(observers, '', (c) => notFound(c))
  const nothingAfter = async () => {}
  // Hono also calls notFound when a route's handlers all pass the request on: that route observes it.
  return (c) =>
    matchedRoutes(c).length === 0 ? (unmatched(c, nothingAfter) as ReturnType<NotFoundHandler>) : notFound(c)
}
