import type { IncomingMessage, ServerResponse } from 'node:http'
import { getRequestListener } from '@hono/node-server'
import type { TelemetryApp } from '../../app.ts'
import type { HostAnswer } from '../../http/host-requests.ts'

/** A node:http request as Express extends it: the route that matched, below the router it is mounted on. */
export type HostRequest = IncomingMessage & {
  readonly route?: { readonly path?: unknown }
  readonly baseUrl?: string
}

/** The host's own answer to a request the module does not serve. */
export type PassOn = (request: HostRequest, response: ServerResponse) => void

/**
 * A node:http listener that answers the module's routes through @hono/node-server and passes every other request
 * on, observed until its response closes (sent, or the client gone), with the route `routeOf` names.
 */
export function serveOrPassOn(
  telemetry: TelemetryApp,
  routeOf: (request: HostRequest) => string | undefined,
): (request: HostRequest, response: ServerResponse, passOn: PassOn) => void {
  const serveTelemetry = getRequestListener(telemetry.fetch)
  return (request, response, passOn) => {
    const method = request.method ?? 'GET'
    const path = (request.url ?? '/').split('?', 1)[0] ?? '/'
    if (telemetry.requests.serves(method, path)) {
      void serveTelemetry(request, response)
      return
    }
    const answered = telemetry.requests.observe(method)
    response.once('close', () => {
      const answer: HostAnswer = { status: response.statusCode, route: routeOf(request) }
      answered(answer)
    })
    passOn(request, response)
  }
}
