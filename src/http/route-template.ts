import type { Context } from 'hono'
import { routePath } from 'hono/route'

// When no route answered, Spring names the request by its status instead of a pattern (spring-web's
// DefaultServerRequestObservationConvention.uri): raw paths never become labels.
const NOT_FOUND = 'NOT_FOUND'
const REDIRECTION = 'REDIRECTION'
const UNKNOWN = 'UNKNOWN'
/** The paths a middleware registered for every request has (`app.use(fn)`, and the same app mounted at `/`). */
const CATCH_ALL = new Set(['*', '/*'])

// `:name`, `:name{regex}` and optional `:name?`; the regex ends at the `}` that closes the segment.
const PARAMETER = /:([^/{?]+)(?:\{(.+?)\}(?=\/|\?|$))?\??/g
// A regex that may cross `/` is a capture of the rest of the path.
const REST = new Set(['.+', '.*'])
const converted = new Map<string, string>()

/**
 * A Hono route path in the syntax of Spring's PathPattern, which Spring's `uri` tags show: `:id` is `{id}`,
 * `:id{[0-9]+}` is `{id:[0-9]+}`, `:path{.+}` is `{*path}` (spring-web's CaptureTheRestPathElement), a last
 * segment `*` is `**`. Converted once per route, so a request costs one lookup.
 */
function springTemplate(template: string): string {
  let spring = converted.get(template)
  if (spring === undefined) {
    spring = template
      .replace(PARAMETER, (_, name: string, regex?: string) =>
        regex === undefined ? `{${name}}` : REST.has(regex) ? `{*${name}}` : `{${name}:${regex}}`,
      )
      .replace(/\/\*$/, '/**')
    // Routes are declared in code, so this map holds one entry per route at most.
    converted.set(template, spring)
  }
  return spring
}

/**
 * The route template that answered, in Spring's syntax (`/actuator/health/{*path}`), never the raw path, which may
 * carry identifiers and is unbounded; `NOT_FOUND`, `REDIRECTION` or `UNKNOWN` when no route answered. Call it
 * after `await next()`.
 */
export function routeTemplate(c: Context): string {
  return routeLabel(routePath(c), c.res.status)
}

/**
 * `routeTemplate` of a Hono route path that answered with `status` (`''` when no route answered).
 * @example routeLabel('/actuator/health/:path{.+}', 200) // '/actuator/health/{*path}'
 */
export function routeLabel(template: string, status: number): string {
  // When no route answers, the last handler that ran is a wildcard middleware and the 404 comes from notFound.
  if (template === '' || (status === 404 && template.endsWith('*'))) return NOT_FOUND
  if (CATCH_ALL.has(template)) return status >= 300 && status < 400 ? REDIRECTION : UNKNOWN
  return springTemplate(template)
}
