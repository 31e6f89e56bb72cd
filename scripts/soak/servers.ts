// The module under soak: one standalone server per runtime, each started with the README's documented command on a
// port of its own, with the database, the relay and the push all configured against the shared peers.

import { SITE } from '../../bench/relay/event.ts'
import { freePort } from '../../test/helpers/free-port.ts'
import { RUNTIMES } from '../../test/helpers/runtimes.ts'
import { type ServerProcess, startServer } from '../../test/helpers/server-process.ts'
import type { RuntimeName } from './args.ts'
import type { Peers } from './peers.ts'

/** The settings the soak's timeouts and fault windows are derived from. */
export const SOAK_SETTINGS = {
  /** Bounds every database call of the module: health checks and the scrape's status query. */
  healthTimeoutMs: 1000,
  /** How long a health result is reused (HEALTH_CACHE_TTL_MS, its default). */
  healthCacheTtlMs: 1000,
  /** A push a second: a receiver outage of a few seconds spans several pushes and turns `remoteWrite` DOWN. */
  pushIntervalSeconds: 1,
  /** The push's backoff grows to at most max(interval, 5 s) (src/push/feature.ts). */
  pushMaxBackoffMs: 5000,
  managementToken: 'soak-management-token-0123456789',
  shutdownTimeoutMs: 5000,
} as const

export interface SoakServer {
  readonly runtime: RuntimeName
  readonly url: string
  /** The runtime's own process (node, deno or bun), whose memory and descriptors are sampled. */
  readonly process: ServerProcess
}

function environment(runtime: RuntimeName, port: number, peers: Peers): Record<string, string> {
  return {
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: peers.db.url,
    HEALTH_TIMEOUT_MS: String(SOAK_SETTINGS.healthTimeoutMs),
    HEALTH_CACHE_TTL_MS: String(SOAK_SETTINGS.healthCacheTtlMs),
    MANAGEMENT_TOKEN: SOAK_SETTINGS.managementToken,
    SHUTDOWN_TIMEOUT_MS: String(SOAK_SETTINGS.shutdownTimeoutMs),
    PLAUSIBLE_ENABLED: 'true',
    PLAUSIBLE_URL: peers.plausible.url,
    PLAUSIBLE_DOMAIN: SITE,
    // The soak plays the reverse proxy: X-Forwarded-For names one of many visitors, so the rate limit of one
    // address is never what the traffic measures.
    TRUST_PROXY: '1',
    METRICS_REMOTE_WRITE_URL: peers.receiver.url,
    METRICS_INSTALLATION_ID: 'soak',
    METRICS_INSTANCE: `soak-${runtime}`,
    METRICS_REMOTE_WRITE_INTERVAL_SECONDS: String(SOAK_SETTINGS.pushIntervalSeconds),
    METRICS_REMOTE_WRITE_TIMEOUT_MS: '2000',
  }
}

/** Starts one server per runtime at the same time; if one cannot start, those that did are stopped again. */
export async function startServers(runtimes: readonly RuntimeName[], peers: Peers): Promise<SoakServer[]> {
  const started = await Promise.allSettled(
    runtimes.map(async (runtime): Promise<SoakServer> => {
      const target = RUNTIMES.find((candidate) => candidate.name === runtime)
      if (target === undefined) throw new Error(`no runtime ${runtime}`)
      const process = await startServer(target.standalone, environment(runtime, await freePort(), peers))
      return { runtime, url: process.url, process }
    }),
  )
  const servers = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []))
  const failed = started.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []))
  if (failed.length === 0) return servers
  await Promise.all(servers.map((server) => server.process.stop()))
  throw new Error(`Cannot start the soak: ${failed.map(String).join('\n')}`)
}
