// The relay benchmark's tables, printed as Markdown: medians over the rounds; ratios and added latency are taken
// per round, against that round's run of the reference.
import type { RelayCounters } from './relay-counters.ts'
import type { ClientCost } from './run-client-cost.ts'
import type { Target } from './target.ts'
import { goodPerSecond, type WrkResult } from './wrk.ts'

/** Everything the runs measured, by target name. */
export interface RelayBenchRuns {
  /** The upstream straight, nginx with keep-alive (the reference), nginx as the guide has it, then the relays. */
  readonly targets: readonly Target[]
  readonly throughputConnections: number
  readonly latencyConnections: number
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

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2
}

const ms = (us: number): string => (us / 1000).toFixed(3)
const rounds = (values: readonly number[], digits: number): string =>
  values.map((value) => value.toFixed(digits)).join(' / ')

export function printReport(runs: RelayBenchRuns): void {
  const { targets, throughput, latency, accepted, reachedUpstream, drains, cpuPerEvent } = runs
  const direct = targets[0]?.name ?? ''
  const nginx = targets[1]?.name ?? ''
  const guideNginx = targets[2]?.name ?? ''
  const rps = (name: string) => (throughput.get(name) ?? []).map(goodPerSecond)
  // Events delivered to the upstream per second: the relay's backlog is forwarded after wrk stops.
  const delivered = (name: string) =>
    (throughput.get(name) ?? []).map(
      (run, round) =>
        (run.requests - run.status) / (run.durationUs / 1_000_000 + (drains.get(name)?.[round] ?? 0) / 1000),
    )
  const versus = (reference: string, values: (name: string) => number[], name: string) =>
    values(name).map((value, round) => value / (values(reference)[round] ?? Number.NaN))
  const versusNginx = (values: (name: string) => number[], name: string) => versus(nginx, values, name)
  const added = (name: string, key: 'p50' | 'p99') =>
    (latency.get(name) ?? []).map(
      (run, round) => (run[key] - (latency.get(direct)?.[round]?.[key] ?? 0)) / 1000,
    )
  const errors = (name: string) =>
    [...(throughput.get(name) ?? []), ...(latency.get(name) ?? [])].reduce(
      (sum, run) => sum + run.status + run.socket,
      0,
    )

  console.log(
    `| target | answered, c=${runs.throughputConnections} (req/s) | vs nginx | delivered incl. drain (ev/s) | vs nginx | proxy CPU per event (µs) | p50, c=${runs.latencyConnections} paced (ms) | p99 (ms) | added p50 (ms) | added p99 (ms) | errors |`,
  )
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |')
  for (const { name } of targets) {
    const paced = latency.get(name) ?? []
    const relative = name !== direct
    const cells = [
      name,
      median(rps(name)).toFixed(0),
      relative ? `${median(versusNginx(rps, name)).toFixed(2)}x` : '-',
      median(delivered(name)).toFixed(0),
      relative ? `${median(versusNginx(delivered, name)).toFixed(2)}x` : '-',
      median(cpuPerEvent.get(name) ?? []).toFixed(1),
      ms(median(paced.map((run) => run.p50))),
      ms(median(paced.map((run) => run.p99))),
      relative ? median(added(name, 'p50')).toFixed(3) : '-',
      relative ? median(added(name, 'p99')).toFixed(3) : '-',
      errors(name),
    ]
    console.log(`| ${cells.join(' | ')} |`)
  }
  console.log(
    `\npaced load: ${median((latency.get(direct) ?? []).map(goodPerSecond)).toFixed(0)} req/s straight to the upstream (median)`,
  )

  console.log(
    '\n| relay | command | 2xx counted by wrk (incl. warm-up) | forwarded (counter) | other outcomes | reached the upstream | drain after a throughput run (median) |',
  )
  console.log('| --- | --- | --- | --- | --- | --- | --- |')
  for (const { name, command } of targets) {
    const counters = runs.finalCounters.get(name)
    if (counters === undefined) continue
    const other = [...counters.outcomes]
      .filter(([outcome, count]) => outcome !== 'forwarded' && count > 0)
      .map(([outcome, count]) => `${outcome} ${count}`)
    if (counters.depth > 0) other.push(`${counters.depth} still queued`)
    console.log(
      `| ${name} | \`${command}\` | ${accepted.get(name)} | ${counters.outcomes.get('forwarded') ?? 0} | ${other.length === 0 ? 'none' : other.join(', ')} | ${reachedUpstream.get(name)} | ${median(drains.get(name) ?? []).toFixed(0)} ms |`,
    )
  }
  for (const name of [nginx, guideNginx])
    console.log(
      `\n${name}: ${accepted.get(name)} 2xx counted by wrk, ${reachedUpstream.get(name)} reached the upstream (both incl. warm-up and the readiness event).`,
    )

  for (const name of ['relay on deno', 'relay on bun']) {
    const ratio = median(versusNginx(rps, name))
    const p99 = median(added(name, 'p99'))
    console.log(
      `\n${name}: ${ratio.toFixed(2)}x nginx's throughput (rounds ${rounds(versusNginx(rps, name), 2)}; goal >= 0.8: ${ratio >= 0.8 ? 'met' : 'NOT met'}), ${median(versusNginx(delivered, name)).toFixed(2)}x delivered; against the guide as written ${median(versus(guideNginx, rps, name)).toFixed(2)}x answered, ${median(versus(guideNginx, delivered, name)).toFixed(2)}x delivered; added p99 ${p99.toFixed(3)} ms (rounds ${rounds(added(name, 'p99'), 3)}; goal < 2 ms: ${p99 < 2 ? 'met' : 'NOT met'})`,
    )
  }

  const [sample] = runs.clientCosts.flat()
  if (sample === undefined) return
  console.log(
    `\nThe outbound HTTP client alone, as the relay sends on each runtime: ${sample.sends.toLocaleString('en')} sends, ${sample.concurrency} at a time, to the same upstream (median of ${runs.clientCosts[0]?.length} rounds).`,
  )
  console.log('\n| runtime | client | CPU per send (µs) | sends/s |')
  console.log('| --- | --- | --- | --- |')
  for (const costs of runs.clientCosts) {
    const [first] = costs
    if (first === undefined) continue
    const cpu = median(costs.map((cost) => cost.cpuUsPerSend))
    const rate = median(costs.map((cost) => cost.sendsPerSecond))
    console.log(`| ${first.runtime} | ${first.client} | ${cpu.toFixed(1)} | ${rate.toFixed(0)} |`)
  }
}
