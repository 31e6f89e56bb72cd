// Relay throughput and added latency against nginx (issue 5), in one run:
//  1. throughput: requests/s of `POST /api/event` (a plausible-tracker pageview) through nginx configured as in
//     Plausible's proxy guide (as written, and with keep-alive to the upstream) and through the relay on Deno, Bun
//     and Node, all in front of the same fake upstream,
//     under the same closed-loop load (wrk, 1 thread, 32 connections);
//  2. added latency: p50 and p99 through each proxy at a moderate load (8 connections, each waiting 4-12 ms
//     between requests, about 1000 req/s), minus p50 and p99 of the same load sent straight to the upstream.
//  3. efficiency: the CPU time (user + system, from /proc) the proxy process spends per event in a throughput run and
//     the drain after it; for nginx, its master and worker together.
//  4. where the relay's time goes: the CPU of one send of the module's outbound HTTP client alone, per runtime.
// The latency rounds come first, then the throughput rounds. Within each, the order of the targets rotates each
// round, every run follows a warm-up run of its own, each relay run has a relay process of its own, and medians are
// taken.
// The relay answers 202 before forwarding (nginx waits for the upstream): after each relay run the script waits for
// its queue to drain, so the forwarding is done (and paid for) before the next target runs; "delivered" divides the
// events answered by the run's time plus that drain, and the relay's own counters say what was forwarded.
// Needs wrk (`apt-get install -y wrk`) and nginx (`/usr/sbin/nginx`). Node's relay runs dist/: build it first.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Child, createChildProcesses } from '../../test/helpers/child-processes.ts'
import { freePort } from '../../test/helpers/free-port.ts'
import { RUNTIMES } from '../../test/helpers/runtimes.ts'
import { cpuMs } from './cpu.ts'
import { POST_EVENT, SITE } from './event.ts'
import { startProxyNginx } from './nginx.ts'
import { drain, type RelayCounters, relayCounters } from './relay-counters.ts'
import { type ClientCost, runClientCost } from './run-client-cost.ts'
import type { Target } from './target.ts'
import { waitForHttp } from './wait-for-http.ts'
import { goodPerSecond, type WrkResult, wrk, wrkScript } from './wrk.ts'

export interface RelaySettings {
  readonly rounds: number
  readonly warmupSeconds: number
  readonly throughput: { readonly connections: number; readonly seconds: number }
  readonly latency: {
    readonly connections: number
    readonly seconds: number
    readonly minDelayMs: number
    readonly maxDelayMs: number
  }
  /** Sends per round of the outbound client alone. */
  readonly clientSends: number
}

const PACING = { minDelayMs: 4, maxDelayMs: 12 }
export const FULL: RelaySettings = {
  rounds: 3,
  warmupSeconds: 1,
  throughput: { connections: 32, seconds: 4 },
  latency: { connections: 8, seconds: 3, ...PACING },
  clientSends: 30_000,
}
/** One round of 1 s runs: a smoke test, and rough figures. */
export const QUICK: RelaySettings = {
  rounds: 1,
  warmupSeconds: 1,
  throughput: { connections: 32, seconds: 1 },
  latency: { connections: 8, seconds: 1, ...PACING },
  clientSends: 5_000,
}

/** Everything the runs measured, by target name. */
export interface RelayBenchRuns {
  readonly settings: RelaySettings
  /** The upstream straight, nginx with keep-alive (the reference), nginx as the guide has it, then the relays. */
  readonly targets: readonly Target[]
  readonly throughput: ReadonlyMap<string, readonly WrkResult[]>
  readonly latency: ReadonlyMap<string, readonly WrkResult[]>
  /** Answers below 400 that wrk counted, warm-up and the readiness event included. */
  readonly accepted: ReadonlyMap<string, number>
  /** Events the upstream received through the target, warm-up and the readiness event included. */
  readonly reachedUpstream: ReadonlyMap<string, number>
  /** How long each relay took to forward its backlog after each throughput run (ms). */
  readonly drains: ReadonlyMap<string, readonly number[]>
  /** CPU time of the proxy per event it answered in a throughput run, the drain that follows included (µs). */
  readonly cpuPerEvent: ReadonlyMap<string, readonly number[]>
  /** Each relay's counters once all runs are over. */
  readonly finalCounters: ReadonlyMap<string, RelayCounters>
  /** One list of rounds per runtime. */
  readonly clientCosts: readonly (readonly ClientCost[])[]
}

const RATE_LIMIT = 1_000_000 // the highest the relay accepts; every client here is 127.0.0.1
const RELAY_RUNTIMES = ['deno', 'bun', 'node'] as const

/** The relay process that answers a relay's next run. */
interface RelayProcess {
  readonly runtime: (typeof RELAY_RUNTIMES)[number]
  readonly target: Target
  readonly child: Child
  /** Whether a run has been measured on it: the next run then starts another. */
  measured: boolean
}
const UPSTREAM = fileURLToPath(new URL('./upstream.ts', import.meta.url))

/**
 * Starts the upstream, both nginx variants and the relay on every runtime, and measures them.
 * @example const runs = await measureRelay(QUICK)
 */
export async function measureRelay(settings: RelaySettings): Promise<RelayBenchRuns> {
  const { rounds, throughput: load, latency: paced } = settings
  const processes = createChildProcesses()
  const interrupted = () => void processes.stopAll().finally(() => process.exit(130))
  process.once('SIGINT', interrupted)
  const dir = mkdtempSync(join(tmpdir(), 'bench-relay-'))
  chmodSync(dir, 0o755) // nginx's worker may run as another user
  const throughputScript = join(dir, 'throughput.lua')
  const latencyScript = join(dir, 'latency.lua')
  writeFileSync(throughputScript, wrkScript(undefined))
  writeFileSync(latencyScript, wrkScript(paced))
  try {
    const upstreamPort = await freePort()
    const upstream = processes.start([process.execPath, '--import', 'tsx', UPSTREAM, String(upstreamPort)])
    const upstreamUrl = `http://127.0.0.1:${upstreamPort}`
    await waitForHttp(`${upstreamUrl}/count`)
    const upstreamCount = async () => Number(await (await fetch(`${upstreamUrl}/count`)).text())

    const targets: Target[] = [
      { name: 'upstream (direct)', url: upstreamUrl, pid: upstream.pid },
      { name: 'nginx', ...(await startProxyNginx(processes, dir, upstreamPort, true)) },
      { name: 'nginx, guide as written', ...(await startProxyNginx(processes, dir, upstreamPort, false)) },
    ]
    const relayEnv = {
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      PLAUSIBLE_ENABLED: 'true',
      PLAUSIBLE_URL: upstreamUrl,
      PLAUSIBLE_DOMAIN: SITE,
      PLAUSIBLE_RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT),
      PLAUSIBLE_RATE_LIMIT_BURST: String(RATE_LIMIT),
      PLAUSIBLE_QUEUE_SIZE: '100000',
    }
    // Ready once it accepts an event (nginx answers nothing else); this first event is counted below.
    const ready = async (target: Target) => {
      await waitForHttp(`${target.url}/api/event`, POST_EVENT)
      if (target.metricsUrl !== undefined) await drain(target.metricsUrl)
    }
    const startRelay = async (runtime: (typeof RELAY_RUNTIMES)[number]): Promise<RelayProcess> => {
      const argv = RUNTIMES.find(({ name }) => name === runtime)?.standalone ?? []
      const port = await freePort()
      const child = processes.start(argv, { ...relayEnv, PORT: String(port) })
      const url = `http://127.0.0.1:${port}`
      const metricsUrl = `${url}/actuator/prometheus`
      const target = { name: `relay on ${runtime}`, url, metricsUrl, command: argv.join(' '), pid: child.pid }
      await ready(target)
      return { runtime, target, child, measured: false }
    }
    const relays = new Map<string, RelayProcess>()
    for (const runtime of RELAY_RUNTIMES) {
      const relay = await startRelay(runtime)
      relays.set(relay.target.name, relay)
      targets.push(relay.target)
    }
    for (const target of targets) if (target.metricsUrl === undefined) await ready(target)

    const perTarget = <T>(initial: () => T) => new Map(targets.map((target) => [target.name, initial()]))
    const throughput = perTarget((): WrkResult[] => [])
    const latency = perTarget((): WrkResult[] => [])
    const accepted = perTarget(() => 1)
    const reachedUpstream = perTarget(() => 1)
    const drains = perTarget((): number[] => [])
    const cpuPerEvent = perTarget((): number[] => [])
    const finalCounters = new Map<string, RelayCounters>()
    const addCounters = async ({ target }: RelayProcess) => {
      const { depth, outcomes } = await relayCounters(target.metricsUrl as string)
      const sum = new Map(finalCounters.get(target.name)?.outcomes)
      for (const [outcome, count] of outcomes) sum.set(outcome, (sum.get(outcome) ?? 0) + count)
      finalCounters.set(target.name, { depth, outcomes: sum })
    }
    // A relay is measured by a process of its own each run, as the routes benchmark does: one process of a command
    // runs fast or slow as a whole (bench/HISTORY.md). Its readiness event is counted as the first one's is.
    const fresh = async (target: Target): Promise<Target> => {
      const relay = relays.get(target.name)
      if (relay === undefined) return target
      if (!relay.measured) {
        relay.measured = true
        return relay.target
      }
      await addCounters(relay)
      await relay.child.stop()
      const next = await startRelay(relay.runtime)
      next.measured = true
      relays.set(target.name, next)
      accepted.set(target.name, (accepted.get(target.name) ?? 0) + 1)
      reachedUpstream.set(target.name, (reachedUpstream.get(target.name) ?? 0) + 1)
      return next.target
    }

    // `settle`: the paced load, unrecorded, between a warm-up and a latency run, so that run does not measure the
    // aftermath of the saturating warm-up.
    const measure = async (target: Target, kind: 'warm-up' | 'settle' | 'throughput' | 'latency') => {
      const before = await upstreamCount()
      const cpuBefore = cpuMs(target.pid)
      const run =
        kind === 'latency' || kind === 'settle'
          ? await wrk(processes, latencyScript, target.url, paced.connections, paced.seconds)
          : await wrk(
              processes,
              throughputScript,
              target.url,
              load.connections,
              kind === 'warm-up' ? settings.warmupSeconds : load.seconds,
            )
      if (target.metricsUrl !== undefined) {
        const drainMs = await drain(target.metricsUrl)
        if (kind === 'throughput') drains.get(target.name)?.push(drainMs)
      }
      const answered = run.requests - run.status
      if (kind === 'throughput')
        cpuPerEvent.get(target.name)?.push(((cpuMs(target.pid) - cpuBefore) * 1000) / answered)
      accepted.set(target.name, (accepted.get(target.name) ?? 0) + answered)
      reachedUpstream.set(
        target.name,
        (reachedUpstream.get(target.name) ?? 0) + (await upstreamCount()) - before,
      )
      const recorded = kind === 'latency' ? latency : kind === 'throughput' ? throughput : undefined
      recorded?.get(target.name)?.push(run)
      console.error(
        `${target.name.padEnd(24)} ${kind.padEnd(10)} ${goodPerSecond(run).toFixed(0).padStart(6)} req/s  p50 ${(run.p50 / 1000).toFixed(3)} ms  p99 ${(run.p99 / 1000).toFixed(3)} ms  >=400: ${run.status}  socket errors: ${run.socket}`,
      )
    }

    // Latency first, in rounds of its own: a latency run right after a saturating throughput run also measured the
    // aftermath of that run (Bun's p99 at the paced load: 1.1 to 1.4 ms on a fresh process, up to 2.9 ms in
    // rounds that followed a throughput run). Every run has a warm-up run of its own just before it, and a latency
    // run a paced run before that too.
    const rotated = (round: number) =>
      targets.map((_, index) => targets[(index + round) % targets.length]).filter((t) => t !== undefined)
    for (const kind of ['latency', 'throughput'] as const) {
      for (let round = 0; round < rounds; round++) {
        for (const target of rotated(round)) {
          const current = await fresh(target)
          await measure(current, 'warm-up')
          if (kind === 'latency') await measure(current, 'settle')
          await measure(current, kind)
        }
      }
    }
    if (!upstream.running()) throw new Error('the upstream died during the run')
    for (const relay of relays.values()) await addCounters(relay)

    const clientCosts = RUNTIMES.map((): ClientCost[] => [])
    for (let round = 0; round < rounds; round++) {
      for (const [index, runtime] of RUNTIMES.entries()) {
        const cost = await runClientCost(processes, runtime, upstreamUrl, settings.clientSends)
        clientCosts[index]?.push(cost)
        console.error(
          `${`client on ${runtime.name}`.padEnd(24)} ${'send'.padEnd(10)} ${cost.sendsPerSecond.toFixed(0).padStart(6)} sends/s  ${cost.cpuUsPerSend.toFixed(1)} µs CPU per send`,
        )
      }
    }

    return {
      settings,
      targets,
      throughput,
      latency,
      accepted,
      reachedUpstream,
      drains,
      cpuPerEvent,
      finalCounters,
      clientCosts,
    }
  } finally {
    process.off('SIGINT', interrupted)
    await processes.stopAll()
    rmSync(dir, { recursive: true, force: true })
  }
}
