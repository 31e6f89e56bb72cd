import { within } from '../deadline.ts'
import type { Lifecycle } from '../lifecycle.ts'
import type { Logger } from '../logging/logger.ts'
import type { HostProcess, StopSignal } from '../runtime/host-process.ts'
import type { FetchHandler, RunningServer, ServerAdapter } from '../runtime/http-server.ts'
import type { ServerSettings } from './environment.ts'

/** The server could not listen where it was told to: a configuration problem, not a crash. */
export class ServerStartError extends Error {
  override readonly name = 'ServerStartError'
}

type ServeSettings = Pick<
  ServerSettings,
  'port' | 'host' | 'shutdownTimeoutMs' | 'shutdownDelayMs' | 'denoConnectionTimeouts'
>

/**
 * Listens and marks the module ready; on SIGTERM or SIGINT turns readiness OUT_OF_SERVICE, keeps serving for
 * `shutdownDelayMs` (so load balancers notice first), stops accepting, lets in-flight requests finish, closes the
 * module (the relay's queue and connections, the database pool) and exits 0, all of it after the delay within
 * `shutdownTimeoutMs`. A second signal exits at once with 1. Rejects with a `ServerStartError` when the address
 * cannot be listened on.
 */
export async function serveUntilSignal(
  adapter: ServerAdapter,
  fetch: FetchHandler,
  settings: ServeSettings,
  logger: Logger,
  lifecycle: Lifecycle,
  host: Pick<HostProcess, 'onSignal' | 'exit'>,
): Promise<void> {
  const server = await adapter
    .listen(fetch, {
      port: settings.port,
      hostname: settings.host,
      denoConnectionTimeouts: settings.denoConnectionTimeouts,
    })
    .catch((error: unknown) => {
      throw startError(error, settings) ?? error
    })
  let stopping = false
  const stop = (signal: StopSignal): void => {
    if (stopping) host.exit(1)
    stopping = true
    logger.info('shutting down', { signal })
    lifecycle.drain()
    void new Promise((resolve) => setTimeout(resolve, settings.shutdownDelayMs))
      .then(() => shutDown(server, settings.shutdownTimeoutMs, logger, lifecycle))
      .then(() => host.exit(0))
  }
  host.onSignal('SIGTERM', stop)
  host.onSignal('SIGINT', stop)
  // Only now: whoever waits for this line may signal us right away.
  lifecycle.ready()
  // An IPv6 host is bracketed in a URL, or its colons would read as the port's.
  const hostname = settings.host.includes(':') ? `[${settings.host}]` : settings.host
  logger.info('listening', { runtime: adapter.runtime, url: `http://${hostname}:${server.port}` })
}

/**
 * One deadline for all of it: the requests in flight, then the relay's drain and the closing of connections and
 * the pool get what time the requests left. While the server closes the relay keeps sending in the background.
 */
async function shutDown(
  server: RunningServer,
  timeoutMs: number,
  logger: Logger,
  lifecycle: Lifecycle,
): Promise<void> {
  const deadline = AbortSignal.timeout(timeoutMs)
  if ((await within(server.close(), deadline)) === 'aborted')
    logger.warn('requests still open after the grace period; closing them', { timeoutMs })
  await lifecycle.close(deadline)
  logger.info('stopped')
}

/**
 * Node names the failure in `code`, Deno in the error's name or message, Bun in `code` (EINVAL for a host name that
 * does not resolve).
 */
function startError(error: unknown, { host, port }: ServeSettings): ServerStartError | undefined {
  if (!(error instanceof Error)) return undefined
  const text = `${'code' in error ? String(error.code) : ''} ${error.name} ${error.message}`
  const address = `${host}:${port}`
  if (/EADDRINUSE|AddrInUse|address already in use/i.test(text))
    return new ServerStartError(
      `Cannot start: ${address} is already in use, set PORT to a free port or stop the other server`,
    )
  const unresolved = /ENOTFOUND|EAI_AGAIN|EAI_NONAME|EINVAL|lookup|Name or service not known/i
  if (unresolved.test(text) || /EADDRNOTAVAIL|AddrNotAvailable|assign requested address/i.test(text))
    return new ServerStartError(
      `Cannot start: HOST ${JSON.stringify(host)} is not an address or host name of this machine, set HOST to one of them or to 0.0.0.0`,
    )
  if (/EACCES|PermissionDenied|permission denied/i.test(text))
    return new ServerStartError(
      `Cannot start: listening on ${address} is not permitted, set PORT to 1024 or above or grant the privilege`,
    )
  return undefined
}
