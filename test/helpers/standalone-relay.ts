import { freePort } from './free-port.ts'
import { SITE } from './relay-server.ts'
import type { RuntimeTarget } from './runtimes.ts'
import { type ServerProcess, startServer } from './server-process.ts'

/**
 * Starts the standalone server on `runtime` as the README starts it, relaying to `plausibleUrl` for `SITE` on a free
 * loopback port, with `env` on top; `servers` collects it for the suite's `after` to stop.
 * @example const server = await startStandaloneRelay(runtime, plausible.url, servers, { PLAUSIBLE_TIMEOUT_MS: '300' })
 */
export async function startStandaloneRelay(
  runtime: RuntimeTarget,
  plausibleUrl: string,
  servers: ServerProcess[],
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  const server = await startServer(runtime.standalone, {
    PORT: String(await freePort()),
    HOST: '127.0.0.1',
    PLAUSIBLE_ENABLED: 'true',
    PLAUSIBLE_URL: plausibleUrl,
    PLAUSIBLE_DOMAIN: SITE,
    ...env,
  })
  servers.push(server)
  return server
}
