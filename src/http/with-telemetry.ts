import type { TelemetryApp } from '../app.ts'

/**
 * A `fetch` handler as Deno.serve, Bun.serve and module workers call it: the request, then what the runtime adds
 * (Deno's connection info, Bun's server, a worker's bindings and context), which Hono reads as `c.env`.
 */
export type FetchHandler<Rest extends unknown[] = unknown[]> = (
  request: Request,
  ...rest: Rest
) => Response | Promise<Response>

/** What a `fetch` host may tell about its own requests. */
export interface WithTelemetryOptions {
  /**
   * The host's route template for a request (`/api/workspaces/:id`), never its raw path; without it the host's
   * requests are measured and logged as `UNKNOWN` (`NOT_FOUND` for a 404, `REDIRECTION` for a 3xx).
   */
  readonly routeOf?: (request: Request) => string | undefined
}

/**
 * A `fetch` handler serving the module's routes and passing every other request to `host`, logged and measured as
 * the module's own requests are: for a host that is a plain handler of Deno.serve, Bun.serve or a worker.
 * @example Deno.serve(withTelemetry(telemetry, () => new Response('meshPanel')))
 */
export function withTelemetry<Rest extends unknown[]>(
  telemetry: TelemetryApp,
  host: FetchHandler<Rest>,
  { routeOf = () => undefined }: WithTelemetryOptions = {},
): (request: Request, ...rest: Rest) => Promise<Response> {
  return async (request, ...rest) => {
    const path = new URL(request.url).pathname
    if (telemetry.requests.serves(request.method, path)) {
      return telemetry.fetch(request, rest[0], rest[1] as Parameters<TelemetryApp['fetch']>[2])
    }
    const answered = telemetry.requests.observe(request.method)
    try {
      const response = await host(request, ...rest)
      answered({ status: response.status, route: routeOf(request) })
      return response
    } catch (error) {
      answered({ status: 500, route: routeOf(request), error: error as Error })
      throw error
    }
  }
}
