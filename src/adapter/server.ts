import { ConfigError } from '../config/config-error.ts'
import { readStandaloneConfig, type ServerSettings } from '../config/env.ts'
import type { Lifecycle } from '../lifecycle.ts'
import { createLogger, type Logger } from '../logging/logger.ts'
import { createTelemetryApp } from '../mod.ts'
import { discoverBuildInfo } from '../version/build-info.ts'
import { readPackageFile } from './package-files.ts'
import type { FetchHandler, RunningServer, ServerAdapter } from './server-adapter.ts'
import { readStandaloneFiles } from './standalone-files.ts'

/**
 * Runs the module as a standalone server configured from the environment: the whole of each runtime's entry.
 * Bad configuration prints one message and exits 1; SIGTERM/SIGINT shut down gracefully and exit 0.
 */
export async function runStandalone(adapter: ServerAdapter): Promise<void> {
  try {
    // process.env works alike on Node, Deno (with --allow-env) and Bun.
    const env = process.env
    const config = readStandaloneConfig(env, await readStandaloneFiles(env))
    const version = await discoverBuildInfo(readPackageFile, config.versionOverrides)
    const app = createTelemetryApp({ ...config.telemetry, version })
    const logger = createLogger(config.telemetry.logLevel, config.telemetry.log)
    await serveUntilSignal(adapter, app.fetch, config.server, logger, app.lifecycle)
  } catch (error) {
    if (!(error instanceof ConfigError || error instanceof AddressInUseError)) throw error
    console.error(error.message)
    process.exit(1)
  }
}

/** The address is taken by another process: a configuration problem, not a crash. */
export class AddressInUseError extends Error {
  override readonly name = 'AddressInUseError'
}

type ServeSettings = Pick<ServerSettings, 'port' | 'host' | 'shutdownTimeoutMs' | 'shutdownDelayMs'>

/**
 * Listens and marks the module ready; on SIGTERM or SIGINT turns readiness OUT_OF_SERVICE, keeps serving for
 * `shutdownDelayMs` (so load balancers notice first), stops accepting, lets in-flight requests finish (at most
 * `shutdownTimeoutMs`), closes the module (its database pool) and exits 0. A second signal exits at once with 1.
 */
export async function serveUntilSignal(
  adapter: ServerAdapter,
  fetch: FetchHandler,
  settings: ServeSettings,
  logger: Logger,
  lifecycle: Lifecycle,
): Promise<void> {
  const server = await adapter
    .listen(fetch, { port: settings.port, hostname: settings.host })
    .catch((error) => {
      if (!isAddressInUse(error)) throw error
      throw new AddressInUseError(
        `Cannot start: ${settings.host}:${settings.port} is already in use, set PORT to a free port or stop the other server`,
      )
    })
  let stopping = false
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) process.exit(1)
    stopping = true
    logger.info('shutting down', { signal })
    lifecycle.drain()
    void new Promise((resolve) => setTimeout(resolve, settings.shutdownDelayMs))
      .then(() => shutDown(server, settings.shutdownTimeoutMs, logger, lifecycle))
      .then(() => process.exit(0))
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
  // Only now: whoever waits for this line may signal us right away.
  lifecycle.ready()
  logger.info('listening', { runtime: adapter.runtime, url: `http://${settings.host}:${server.port}` })
}

async function shutDown(
  server: RunningServer,
  timeoutMs: number,
  logger: Logger,
  lifecycle: Lifecycle,
): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs)
  })
  const outcome = await Promise.race([server.close().then(() => 'drained' as const), deadline])
  clearTimeout(timer)
  if (outcome === 'timeout')
    logger.warn('requests still open after the grace period; closing them', { timeoutMs })
  await lifecycle.close()
  logger.info('stopped')
}

const isAddressInUse = (error: unknown): boolean =>
  error instanceof Error && (('code' in error && error.code === 'EADDRINUSE') || error.name === 'AddrInUse')
