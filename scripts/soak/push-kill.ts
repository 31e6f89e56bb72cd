// The push killed during an outage (issue 27): one push-only server per runtime, on a spool of its own
// (METRICS_REMOTE_WRITE_SPOOL_DIR). The fault stops the receiver, kills each with SIGKILL while requests wait,
// starts each again on its spool and brings the receiver back; every push the outage saw must then arrive, in
// order (the fake receiver checks each series' time order), or the soak fails.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { freePort } from '../../test/helpers/free-port.ts'
import type { FakeReceiver, ReceivedWrite } from '../../test/helpers/remote-write-receiver.ts'
import { RUNTIMES } from '../../test/helpers/runtimes.ts'
import { type ServerProcess, startServer } from '../../test/helpers/server-process.ts'
import type { RuntimeName } from './args.ts'
import { SOAK_SETTINGS } from './servers.ts'

/** A push-only server on its spool; `process` is the one running now. */
export interface PushServer {
  readonly runtime: RuntimeName
  readonly instance: string
  process: ServerProcess
}

/** What the receiver took from the push servers, and one outage with the kill in it, in Unix time (ms). */
export interface PushKillRecord {
  /** Sample timestamps of each runtime's pushes the receiver took, and the order violations among them. */
  readonly taken: Map<RuntimeName, { timestamps: number[]; violations: string[] }>
  readonly outages: { fromMs: number; killedMs: number }[]
}

export interface PushServers {
  readonly servers: readonly PushServer[]
  readonly record: PushKillRecord
  /** Stops the receiver, kills every push server while requests wait, restarts them, starts the receiver again. */
  killDuringOutage(receiver: FakeReceiver, downMs: number): Promise<void>
  /** Takes the push servers' requests out of what `writes` holds, leaving the others. */
  fold(writes: readonly ReceivedWrite[]): void
  /** Stops the servers (SIGTERM) and removes the spools; resolves with their exit codes. */
  stop(): Promise<(number | null)[]>
}

const pushEnv = (runtime: RuntimeName, port: number, spool: string, receiver: FakeReceiver) => ({
  PORT: String(port),
  HOST: '127.0.0.1',
  MANAGEMENT_TOKEN: SOAK_SETTINGS.managementToken,
  METRICS_REMOTE_WRITE_URL: receiver.url,
  METRICS_INSTALLATION_ID: 'soak',
  METRICS_INSTANCE: `soak-push-${runtime}`,
  METRICS_REMOTE_WRITE_INTERVAL_SECONDS: String(SOAK_SETTINGS.pushIntervalSeconds),
  METRICS_REMOTE_WRITE_TIMEOUT_MS: '2000',
  METRICS_REMOTE_WRITE_SPOOL_DIR: spool,
  SHUTDOWN_TIMEOUT_MS: String(SOAK_SETTINGS.shutdownTimeoutMs),
})

/** Starts one push-only server per runtime, each on a spool folder of its own. */
export async function startPushServers(
  runtimes: readonly RuntimeName[],
  receiver: FakeReceiver,
): Promise<PushServers> {
  const spools = new Map<RuntimeName, string>()
  const start = async (runtime: RuntimeName) => {
    const target = RUNTIMES.find((candidate) => candidate.name === runtime)
    if (target === undefined) throw new Error(`no runtime ${runtime}`)
    const spool = spools.get(runtime) ?? (await mkdtemp(join(tmpdir(), `soak-spool-${runtime}-`)))
    spools.set(runtime, spool)
    return startServer(target.standalone, pushEnv(runtime, await freePort(), spool, receiver))
  }
  const servers: PushServer[] = await Promise.all(
    runtimes.map(async (runtime) => ({
      runtime,
      instance: `soak-push-${runtime}`,
      process: await start(runtime),
    })),
  )
  const record: PushKillRecord = {
    taken: new Map(runtimes.map((runtime) => [runtime, { timestamps: [], violations: [] }])),
    outages: [],
  }
  return {
    servers,
    record,
    async killDuringOutage(peer, downMs) {
      await peer.stop()
      const fromMs = Date.now()
      // Half the outage for requests to pile up in the spools, the other half for the restarts.
      await sleep(downMs / 2)
      await Promise.all(servers.map((server) => server.process.stop('SIGKILL')))
      record.outages.push({ fromMs, killedMs: Date.now() })
      await Promise.all(
        servers.map(async (server) => {
          server.process = await start(server.runtime)
        }),
      )
      await sleep(downMs / 2)
      await peer.start()
    },
    fold(writes) {
      for (const write of writes) {
        const instance = write.series
          .flatMap(({ labels }) => labels)
          .find(([name]) => name === 'instance')?.[1]
        const server = servers.find((candidate) => candidate.instance === instance)
        const taken = server && record.taken.get(server.runtime)
        if (taken === undefined || write.status >= 300) continue
        const timestampMs = write.series[0]?.samples[0]?.timestampMs
        if (timestampMs !== undefined) taken.timestamps.push(timestampMs)
        taken.violations.push(...write.violations)
      }
    },
    async stop() {
      const codes = await Promise.all(servers.map((server) => server.process.stop()))
      await Promise.all([...spools.values()].map((spool) => rm(spool, { recursive: true, force: true })))
      return codes
    },
  }
}

/**
 * Why the push on each runtime fails the fault: a push of an outage, before its kill, that never arrived (one a
 * push interval, less one at each end for the timing of the first and last), or samples out of order.
 */
export function pushKillFailures(record: PushKillRecord): string[] {
  const failures: string[] = []
  for (const [runtime, { timestamps, violations }] of record.taken) {
    if (violations.length > 0)
      failures.push(
        `push on ${runtime}: ${violations.length} remote write violation(s), first: ${violations[0]}`,
      )
    for (const { fromMs, killedMs } of record.outages) {
      const arrived = timestamps.filter(
        (timestampMs) => timestampMs >= fromMs && timestampMs < killedMs,
      ).length
      const expected = Math.max(
        1,
        Math.floor((killedMs - fromMs) / (SOAK_SETTINGS.pushIntervalSeconds * 1000)) - 1,
      )
      if (arrived < expected)
        failures.push(
          `push on ${runtime}: ${arrived} of the ${expected} pushes before its kill in the outage from ${new Date(fromMs).toISOString()} arrived`,
        )
    }
  }
  return failures
}

/** The report's lines for the fault: per runtime and outage, the pushes that arrived. */
export function pushKillReport(record: PushKillRecord): string[] {
  if (record.outages.length === 0) return []
  const rows = [...record.taken].flatMap(([runtime, { timestamps, violations }]) =>
    record.outages.map(({ fromMs, killedMs }) => {
      const arrived = timestamps.filter(
        (timestampMs) => timestampMs >= fromMs && timestampMs < killedMs,
      ).length
      return `| ${runtime} | ${new Date(fromMs).toISOString()} | ${killedMs - fromMs} | ${arrived} | ${violations.length} |`
    }),
  )
  return [
    '## Push killed during an outage (SIGKILL, restarted on its spool)',
    '',
    '| runtime | outage from | ms until the kill | pushes of that time taken | order violations |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ]
}
