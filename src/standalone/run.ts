import { packageFiles } from '../adapter/shared/package-files.ts'
import { serverPorts } from '../adapter/shared/server-ports.ts'
import { type PendingLines, stdoutLog } from '../adapter/shared/stdout-log.ts'
import { composeTelemetryApp } from '../app.ts'
import { ConfigError } from '../config/config-error.ts'
import type { ProxySettings } from '../config/proxy.ts'
import { redactUrlPassword } from '../config/redact.ts'
import { createLogger } from '../logging/logger.ts'
import type { OpenDurableFolder, ReadTextFileSync } from '../runtime/files.ts'
import type { HostProcess } from '../runtime/host-process.ts'
import type { OpenHttpClient } from '../runtime/http-client.ts'
import type { ServerAdapter } from '../runtime/http-server.ts'
import { MissingPackageError } from '../runtime/optional-package.ts'
import { completeBuildInfo, discoverBuildInfo } from '../version/build-info.ts'
import { configuredFeatures } from './configured-features.ts'
import { readStandaloneConfig } from './environment.ts'
import { readStandaloneFiles } from './files.ts'
import { loadConfiguredPackages } from './optional-packages.ts'
import { ServerStartError, serveUntilSignal } from './serve.ts'

/** What each runtime's entry brings: its process, server, outbound HTTP and file reads. */
export interface StandaloneRuntime {
  readonly host: HostProcess
  readonly server: ServerAdapter
  readonly httpClients: (proxy: ProxySettings) => OpenHttpClient
  /** The version files and `METRICS_SQL_FILE`, read before the server listens. */
  readonly readTextFileSync: ReadTextFileSync
  /** The spool's folder (`METRICS_REMOTE_WRITE_SPOOL_DIR`). */
  readonly openDurableFolder: OpenDurableFolder
  /** The package's root folder, where package.json and .git are read: two levels above the running entry or bundle. */
  readonly packageRoot: URL
  /** How log lines wait for their write to stdout; `encoded` unless the runtime's collector does better otherwise. */
  readonly pendingLogLines?: PendingLines
  /** Loads the optional peer `httpClients` sends with, if it needs one (undici on Node). */
  readonly loadOutboundPackage?: () => Promise<unknown>
}

/**
 * Runs the module as a standalone server configured from the environment: the whole of each runtime's entry.
 * Bad configuration prints one message and exits 1; SIGTERM/SIGINT shut down gracefully and exit 0.
 * Each entry brings its runtime's own, so Deno and Bun never load undici's adapter, and Deno loads neither node:fs
 * nor its Node `process` to start.
 * @example await runStandalone({ host: nodeProcess, server: nodeServer, httpClients: undiciHttpClients, readTextFileSync: nodeReadTextFileSync, packageRoot: new URL('../../', import.meta.url) })
 */
export async function runStandalone({
  host,
  server,
  httpClients,
  readTextFileSync,
  openDurableFolder,
  packageRoot,
  loadOutboundPackage,
  pendingLogLines,
}: StandaloneRuntime): Promise<void> {
  try {
    const env = host.env()
    const config = readStandaloneConfig(env, readStandaloneFiles(env, readTextFileSync))
    const version = completeBuildInfo(
      await discoverBuildInfo(packageFiles(readTextFileSync, packageRoot), config.versionOverrides),
    )
    const { remoteWrite } = config.telemetry
    // Replicas push side by side: each names itself as Prometheus would name it when scraping, host and port.
    const instance = remoteWrite && (remoteWrite.instance ?? `${host.hostname()}:${config.server.port}`)
    const options = {
      ...config.telemetry,
      version,
      remoteWrite: remoteWrite && { ...remoteWrite, instance },
      log: stdoutLog(host, pendingLogLines),
    }
    const logger = createLogger(options.logLevel, options.log)
    if (remoteWrite !== undefined) {
      logger.info('metrics are pushed', {
        target: redactUrlPassword(remoteWrite.url),
        installation: remoteWrite.installationId,
        instance,
        intervalSeconds: remoteWrite.intervalSeconds,
      })
    }
    const { httpProxy, httpsProxy, noProxy } = config.proxy
    if (httpProxy !== undefined || httpsProxy !== undefined) {
      logger.info('outbound requests go through a proxy', {
        httpProxy: httpProxy && redactUrlPassword(httpProxy),
        httpsProxy: httpsProxy && redactUrlPassword(httpsProxy),
        noProxy: noProxy.join(','),
      })
    }
    await loadConfiguredPackages(options, loadOutboundPackage)
    const app = composeTelemetryApp(options, serverPorts(httpClients(config.proxy), openDurableFolder), {
      logger,
      served: 'alone',
      features: await configuredFeatures(options),
    })
    await serveUntilSignal(server, app.fetch, config.server, logger, app.lifecycle, host)
    // Hono's router builds its matcher on its first match: 2 ms on Node and Bun for the module's routes, a tenth of
    // a start. Built now, after listening, that falls in the time before the first request arrives, which would
    // otherwise wait for it; a connection that comes sooner waits in the listen queue no longer than it would.
    app.router.match('GET', '/')
  } catch (error) {
    if (
      !(
        error instanceof ConfigError ||
        error instanceof ServerStartError ||
        error instanceof MissingPackageError
      )
    )
      throw error
    console.error(error.message)
    host.exit(1)
  }
}
