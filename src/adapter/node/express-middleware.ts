import type { ServerResponse } from 'node:http'
import type { TelemetryApp } from '../../app.ts'
import { type HostRequest, serveOrPassOn } from './host-glue.ts'

/** Express's (and Connect's) middleware shape, without a dependency on Express's types. */
export type NodeMiddleware = (request: HostRequest, response: ServerResponse, next: () => void) => void

// Express names the route that matched only once it has, which is before the response closes.
const expressRoute = (request: HostRequest): string | undefined =>
  typeof request.route?.path === 'string' ? `${request.baseUrl ?? ''}${request.route.path}` : undefined

/**
 * An Express 5 (or Connect) middleware serving the module's routes and passing every other request on, logged and
 * measured by the Express route that answered it (`/api/workspaces/:id`). Use it first, before any body parser.
 * @example app.use(telemetryMiddleware(telemetry))
 */
export function telemetryMiddleware(telemetry: TelemetryApp): NodeMiddleware {
  const serve = serveOrPassOn(telemetry, expressRoute)
  return (request, response, next) => serve(request, response, () => next())
}
