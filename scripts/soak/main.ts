// The soak (issue 14): the standalone server on Node, Deno and Bun at once, under mixed traffic on every route, while
// MariaDB is restarted and frozen past the health timeout and the fake Plausible and the remote-write receiver go
// down and come back, and push-only servers are killed with SIGKILL during a receiver outage and restarted on their
// spools. It fails when a request hangs past its timeout, memory or descriptors keep growing after
// warm-up, an accepted event is neither forwarded nor counted, a server answers what it must not or exits.
// Everything runs on loopback and ends within the duration plus BOUND_MARGIN_MS, also on failure and on Ctrl-C.
// Needs mariadbd (apt-get install mariadb-server). Each runtime runs its bundle (dist/server/, dist/bun/), built first as the start commands do.
// Run: npm run soak -- [--duration 300] [--runtimes node,deno,bun] [--rate 40] [--report soak.md]
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { environmentLine } from '../../bench/environment.ts'
import { MARIADBD } from '../../test/helpers/mariadb.ts'
import { buildServerBundles } from '../../test/helpers/project.ts'
import { parseSoakArgs, type SoakArgs } from './args.ts'
import { readCounters, type ServerCounters } from './counters.ts'
import { type FaultRecord, phasesOf, planFaults, runFaults } from './faults.ts'
import {
  emptyReceiverTally,
  foldReceiverWrites,
  plausibleRecords,
  type ReceiverTally,
  serverTimes,
  warningLines,
} from './peer-records.ts'
import { type Peers, startPeers } from './peers.ts'
import { type PushServers, pushKillFailures, pushKillReport, startPushServers } from './push-kill.ts'
import { renderReport } from './report.ts'
import { type ResourceSample, sampleProcess } from './resources.ts'
import { SOAK_SETTINGS, type SoakServer, startServers } from './servers.ts'
import { emptyTally, type RuntimeTally } from './tally.ts'
import { closeTrafficClient, driveTraffic } from './traffic.ts'
import { failuresOf, type RuntimeResult } from './verdict.ts'

/** Building, starting the peers and servers, the final drain and stopping: well under two minutes together. */
const BOUND_MARGIN_MS = 120_000
const SAMPLE_EVERY_MS = 2000
/** The relay's retries back off to 5 s: a backlog left by the last outage is sent well within this. */
const DRAIN_WAIT_MS = 20_000

let args: SoakArgs
try {
  args = parseSoakArgs(process.argv.slice(2))
} catch (error) {
  console.error((error as Error).message)
  process.exit(2)
}

const wallStart = performance.now()
const phases = phasesOf(args.durationSeconds)
let trafficStart: number | undefined
const clock = () => performance.now() - (trafficStart ?? performance.now())
const log = (line: string) =>
  console.log(
    `${new Date().toISOString()} ${trafficStart === undefined ? 'setup' : `t+${(clock() / 1000).toFixed(1)} s`}  ${line}`,
  )

let peers: Peers | undefined
let servers: SoakServer[] = []
let pushes: PushServers | undefined
let stopping = false
/** The peers or servers being started: stopping waits for them (each start is bounded), so none is left behind. */
let settingUp: Promise<unknown> = Promise.resolve()
const stopEverything = async (signal: NodeJS.Signals = 'SIGTERM') => {
  stopping = true
  await settingUp.catch(() => undefined)
  const codes = await Promise.all(servers.map((server) => server.process.stop(signal)))
  const pushCodes = (await pushes?.stop()) ?? []
  if (pushCodes.some((code) => code !== 0) && signal === 'SIGTERM')
    console.error(`push-only servers exited with ${pushCodes.join(', ')} on SIGTERM`)
  await peers?.close()
  await closeTrafficClient()
  return codes
}
const watchdog = setTimeout(
  () => {
    console.error(
      `FAIL: the soak overran its bound of ${args.durationSeconds} s + ${BOUND_MARGIN_MS / 1000} s`,
    )
    void stopEverything('SIGKILL').finally(() => process.exit(1))
  },
  args.durationSeconds * 1000 + BOUND_MARGIN_MS,
)
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    console.error(`soak interrupted (${signal}), stopping everything`)
    void stopEverything().finally(() => process.exit(130))
  })

try {
  process.exitCode = await soak()
} catch (error) {
  console.error(`FAIL: the soak could not run: ${error instanceof Error ? error.stack : error}`)
  await stopEverything('SIGKILL')
  process.exitCode = 1
}
clearTimeout(watchdog)

/** Runs the soak and prints its report; resolves with the exit code. */
async function soak(): Promise<number> {
  // Not environmentLine's `-v` probe for mariadbd: that flag means verbose there, and starts a server.
  const version =
    MARIADBD && /Ver (\S+)/.exec(execFileSync(MARIADBD, ['--version'], { encoding: 'utf8' }))?.[1]
  const environment = `${environmentLine()}, mariadbd ${version ?? 'not found'}`
  console.log(environment)
  buildServerBundles()
  const peersStarting = startPeers()
  settingUp = peersStarting
  const shared = await peersStarting
  peers = shared
  if (stopping) return 130
  const serversStarting = startServers(args.runtimes, shared)
  settingUp = serversStarting
  servers = await serversStarting
  if (stopping) return 130
  const pushesStarting = startPushServers(args.runtimes, shared.receiver)
  settingUp = pushesStarting
  pushes = await pushesStarting
  const pushServers = pushes
  if (stopping) return 130
  log(
    `started ${servers.map((server) => `${server.runtime} ${server.url} (pid ${server.process.pid})`).join(', ')}`,
  )

  trafficStart = performance.now()
  const trafficStartEpochMs = Date.now()
  // The client shares the machine with the servers: a late answer it caused itself should be told from a slow server.
  const clientLag = monitorEventLoopDelay({ resolution: 10 })
  clientLag.enable()
  const stopTraffic = new AbortController()
  const faults: FaultRecord[] = []
  const tallies = new Map<SoakServer, RuntimeTally>(servers.map((server) => [server, emptyTally()]))
  const samples = new Map<SoakServer, ResourceSample[]>(servers.map((server) => [server, []]))
  const crashed = new Map<SoakServer, string>()
  const receiverTallies = new Map<string, ReceiverTally>(
    servers.map((server) => [server.runtime, emptyReceiverTally()]),
  )
  for (const server of servers)
    void server.process.exited.then((code) => {
      if (stopping) return
      crashed.set(
        server,
        `exit ${code} at t+${(clock() / 1000).toFixed(1)} s: ${server.process.stderr().slice(-500)}`,
      )
      log(`${server.runtime} exited with ${code}`)
    })

  const sampling = (async () => {
    while (!stopTraffic.signal.aborted) {
      for (const server of servers) {
        const sample = await sampleProcess(server.process.pid, clock())
        if (sample !== undefined) samples.get(server)?.push(sample)
      }
      pushServers.fold(foldReceiverWrites(shared.receiver, receiverTallies))
      await sleep(SAMPLE_EVERY_MS, undefined, { signal: stopTraffic.signal }).catch(() => undefined)
    }
  })()
  const traffic = servers.map((server) =>
    driveTraffic(server, args.rate, tallies.get(server) ?? emptyTally(), faults, clock, stopTraffic.signal),
  )
  const faultRun = runFaults(
    planFaults(phases),
    shared,
    (downMs) => pushServers.killDuringOutage(shared.receiver, downMs),
    clock,
    faults,
    stopTraffic.signal,
    log,
  )
  await sleep(phases.warmUpMs)
  log('warm-up over')
  await sleep(phases.durationMs - clock())
  stopTraffic.abort()
  await Promise.all([...traffic, sampling, faultRun])
  clientLag.disable()
  log('traffic stopped; waiting for the relays to drain')

  const drained = new Map<SoakServer, number>()
  const drainStart = performance.now()
  while (drained.size < servers.length && performance.now() - drainStart < DRAIN_WAIT_MS) {
    for (const server of servers.filter((candidate) => !drained.has(candidate))) {
      const counters = await readCounters(server.url).catch(() => undefined)
      if (counters?.relayQueued === 0) drained.set(server, performance.now() - drainStart)
    }
    await sleep(100)
  }
  const counters = new Map<SoakServer, ServerCounters | undefined>()
  const finalHealth = new Map<SoakServer, string>()
  for (const server of servers) {
    counters.set(server, await readCounters(server.url).catch(() => undefined))
    const health = await fetch(`${server.url}/actuator/health`, {
      headers: { authorization: `Bearer ${SOAK_SETTINGS.managementToken}` },
      signal: AbortSignal.timeout(5000),
    })
      .then(async (response) => `${response.status} ${(await response.json()).status}`)
      .catch((error: unknown) => String(error))
    finalHealth.set(server, health)
  }
  // The push-only servers' backlog of the last outage goes out within their backoff (at most 5 s).
  await sleep(SOAK_SETTINGS.pushMaxBackoffMs + 1000)
  pushServers.fold(foldReceiverWrites(shared.receiver, receiverTallies))
  const exitCodes = await stopEverything()
  pushServers.fold(foldReceiverWrites(shared.receiver, receiverTallies))
  log('stopped everything')

  const results: RuntimeResult[] = servers.map((server, index) => ({
    runtime: server.runtime,
    pid: server.process.pid,
    tally: tallies.get(server) ?? emptyTally(),
    samples: samples.get(server) ?? [],
    counters: counters.get(server),
    drainMs: drained.get(server),
    plausible: plausibleRecords(shared.plausible, server.runtime),
    receiver: receiverTallies.get(server.runtime) ?? emptyReceiverTally(),
    finalHealth: finalHealth.get(server) ?? 'not asked',
    crashed: crashed.get(server),
    exitCode: crashed.has(server) ? undefined : exitCodes[index],
    logLines: warningLines(server.process.logs),
    serverTimes: serverTimes(server.process.logs),
  }))
  const failures = new Map<string, string[]>(
    results.map((result) => [result.runtime, failuresOf(result, phases.warmUpMs)]),
  )
  failures.set('soak', [
    ...faults
      .filter((fault) => fault.error !== undefined)
      .map((fault) => `${fault.kind} failed: ${fault.error}`),
    ...pushKillFailures(pushServers.record),
  ])
  const report = [
    renderReport({
      environment,
      command: `npm run soak -- ${process.argv.slice(2).join(' ')}`.trim(),
      rate: args.rate,
      phases,
      faults,
      results,
      failures,
      wallSeconds: (performance.now() - wallStart) / 1000,
      trafficStartEpochMs,
      clientLagMs: { p99: clientLag.percentile(99) / 1e6, max: clientLag.max / 1e6 },
    }),
    '',
    ...pushKillReport(pushServers.record),
  ].join('\n')
  console.log(`\n${report}`)
  if (args.reportPath !== undefined) writeFileSync(args.reportPath, `${report}\n`)
  return [...failures.values()].some((reasons) => reasons.length > 0) ? 1 : 0
}
