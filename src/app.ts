import { Hono } from 'hono'
import { problem } from './http/problem.ts'
import { routeTemplate } from './http/route-template.ts'
import { createLogger } from './logging/logger.ts'
import { requestLog } from './logging/request-log.ts'
import { resolveOptions, type TelemetryOptions } from './options.ts'
import { versionRoutes } from './version/routes.ts'

/**
 * Creates the telemetry module as a Hono app: serve it on its own, or mount it with
 * `app.route('/', createTelemetryApp(options))` before your own routes so every request is logged.
 * Throws a `ConfigError` listing every invalid option.
 * @example Deno.serve(createTelemetryApp({ version: { package: '7.7.7' } }).fetch)
 */
export function createTelemetryApp(options: TelemetryOptions = {}): Hono {
  const resolved = resolveOptions(options)
  const logger = createLogger(resolved.logLevel, resolved.log)
  const app = new Hono()
  app.use(requestLog(logger))
  app.route('/', versionRoutes(resolved.version))
  app.notFound((c) => problem(c, 404, 'Not Found', 'No route matches this method and path'))
  app.onError((error, c) => {
    logger.error('request failed', { route: routeTemplate(c), error: `${error.name}: ${error.message}` })
    return problem(c, 500, 'Internal Server Error')
  })
  return app
}
