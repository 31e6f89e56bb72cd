import { Hono } from 'hono'
import type { RequestObserver } from './observe-requests.ts'
import { routeLabel } from './route-template.ts'

/** How the host answered a request it served itself. */
export interface HostAnswer {
  /** The status code the host answered with. */
  readonly status: number
  /**
   * The host's route template that answered, in Hono's or Express's syntax (`/api/workspaces/:id`), never the raw
   * path. Without one the request is measured and logged as Spring names it then: `NOT_FOUND` for a 404,
   * `REDIRECTION` for a 3xx, `UNKNOWN` otherwise.
   */
  readonly route?: string | undefined
  /** What the host's handler threw, when it did. */
  readonly error?: Error | undefined
}

/**
 * For hosts that are not Hono apps (Express, node:http, a `fetch` handler of Deno.serve, Bun.serve or a worker):
 * which requests the module answers, and observing the others the way the module observes its own.
 */
export interface HostRequests {
  /** Whether one of the module's routes answers `method` and `path` (the URL's path, without the query). */
  serves(method: string, path: string): boolean
  /**
   * Starts observing a request the host answers itself (one in flight more); call what it returns once, when the
   * answer is sent, so the request is counted in `http_server_requests_seconds` and logged as the module's are.
   */
  observe(method: string): (answer: HostAnswer) => void
}

// Catch-alls answer every path in Spring's naming: only the status decides between NOT_FOUND, REDIRECTION, UNKNOWN.
const NO_TEMPLATE = '*'

/**
 * The module's routes and observers, offered to a host that mounts the module without Hono.
 * @example hostRequests([versionRoutes(info)], observers).serves('GET', '/version') // true
 */
export function hostRequests(routes: readonly Hono[], observers: readonly RequestObserver[]): HostRequests {
  const owned = new Hono()
  for (const sub of routes)
    for (const { method, path } of sub.routes) owned.on(method, path, (c) => c.body(null))
  return {
    // Hono answers HEAD with the GET route.
    serves: (method, path) => owned.router.match(method === 'HEAD' ? 'GET' : method, path)[0].length > 0,
    observe: (method) => {
      const started = performance.now()
      for (const observer of observers) observer.entered?.()
      return ({ status, route, error }) => {
        const request = {
          method,
          route: routeLabel(route ?? NO_TEMPLATE, status),
          status,
          durationMs: performance.now() - started,
          error,
        }
        for (const observer of observers) observer.left(request)
      }
    },
  }
}
