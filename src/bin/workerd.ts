// The project's own module worker (Cloudflare workerd), on the edge entry as a host's worker would be: no filesystem,
// no process, no signals. Configuration comes from the worker's string bindings, read like the standalone server's
// variables; the package version is inlined by the bundler.
import packageJson from '../../package.json' with { type: 'json' }
import { ConfigError } from '../config/config-error.ts'
import { createTelemetryApp } from '../edge.ts'
import { optionsFromEnvironment } from '../standalone/environment.ts'

type Handler = (
  request: Request,
  env: Record<string, unknown>,
  context: unknown,
) => Response | Promise<Response>

let handler: Handler | undefined

/** Builds the app once per isolate, on the first request, because bindings only arrive with requests. */
function createHandler(bindings: Record<string, unknown>): Handler {
  const env = Object.fromEntries(
    Object.entries(bindings).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  )
  try {
    const options = optionsFromEnvironment(env)
    const app = createTelemetryApp({
      ...options,
      version: { package: packageJson.version, ...options.version },
    })
    // A worker receives requests only once deployed and has no shutdown: it is ready from the start.
    app.lifecycle.ready()
    return (request, env, context) => app.fetch(request, env, context as never)
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    console.error(error.message)
    return () =>
      new Response(`${error.message}\n`, { status: 500, headers: { 'content-type': 'text/plain' } })
  }
}

export default {
  fetch(request: Request, bindings: Record<string, unknown>, context: unknown): Response | Promise<Response> {
    handler ??= createHandler(bindings)
    return handler(request, bindings, context)
  },
}
