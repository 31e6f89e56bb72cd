import type { RequestListener, ServerResponse } from 'node:http'
import type { TelemetryApp } from '../../app.ts'
import { type HostRequest, serveOrPassOn } from './host-glue.ts'

/** What a node:http host may tell about its own requests. */
export interface RequestListenerOptions {
  /**
   * The host's route template for a request (`/api/workspaces/:id`), never its raw path; without it the host's
   * requests are measured and logged as `UNKNOWN` (`NOT_FOUND` for a 404, `REDIRECTION` for a 3xx).
   */
  readonly routeOf?: (request: HostRequest) => string | undefined
}

const notFound = (_: unknown, response: ServerResponse): void => {
  response.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found\n')
}

/**
 * A node:http request listener serving the module's routes and passing every other request to `host`, logged and
 * measured as the module's own requests are.
 * @example createServer(telemetryRequestListener(telemetry, (req, res) => res.end('meshPanel'))).listen(3000)
 */
export function telemetryRequestListener(
  telemetry: TelemetryApp,
  host: RequestListener = notFound,
  { routeOf = () => undefined }: RequestListenerOptions = {},
): RequestListener {
  const serve = serveOrPassOn(telemetry, routeOf)
  return (request, response) => serve(request, response, host)
}
