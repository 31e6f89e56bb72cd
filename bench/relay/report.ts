// The relay benchmark's tables, as Markdown: medians over the rounds; ratios and added latency are taken per round,
// against that round's run of the reference.
import { type Goal, type Heading, plural, type Section, verdict } from '../section.ts'
import { median } from '../statistics.ts'
import type { RelayBenchRuns } from './measure.ts'
import { goodPerSecond } from './wrk.ts'

/** This benchmark's title and command in bench/RESULTS.md. */
export const RELAY: Heading = {
  title: 'Relay throughput and added latency vs nginx',
  command: 'npm run bench:relay',
}

/**
 * Issue 26, on Node as on Deno and Bun: at least these shares of nginx's answered and delivered (including the drain)
 * events per second, and less added p99 (ms) than this.
 */
const RELAY_GOAL = { throughput: 0.8, delivered: 0.6, addedP99Ms: 2 } as const

const DESCRIPTION = `One run starts, all on 127.0.0.1: a fake upstream (\`bench/relay/upstream.ts\`, a bare \`node:http\`
server answering \`POST /api/event\` with \`202 ok\`, keep-alive); "nginx", the reference for every ratio: the
\`location = /api/event\` block of Plausible's nginx proxy guide plus \`worker_processes 1\`, \`access_log off\` and an
\`upstream\` block with \`keepalive 16\` (the stronger baseline, since the relay keeps its connections open too);
"nginx, guide as written": \`proxy_pass\` straight to the upstream, a new upstream connection per event; and the relay
on Deno, Bun and Node, each with its documented command, \`LOG_LEVEL=silent\`, \`PLAUSIBLE_QUEUE_SIZE=100000\` and the
rate limit lifted (all load comes from 127.0.0.1).

Load is wrk with one thread posting plausible-tracker's pageview. Latency rounds, then throughput rounds; the order of
the targets rotates each round, every run follows a warm-up run of its own (a latency run also a paced run after that,
so it does not measure the warm-up's aftermath), and the tables show medians over the rounds. Each relay run has a relay process of its own, started for it: one process of a command runs fast or slow as
a whole (bench/HISTORY.md), so rounds of one process would not average that out; the counts below add up the
processes of each relay, the readiness event of each included.
Latency run: 8 connections, each waiting a random 4 to 12 ms between requests (about 1000 req/s); "added" latency is
p50/p99 through the proxy minus p50/p99 straight to the upstream in the same round. Throughput run: closed loop, 32
connections; "answered" counts 2xx per second. The relay answers 202 once an event is queued and forwards it
afterwards (nginx answers once the upstream has): after every relay run the script waits until its queue is empty;
"delivered incl. drain" divides the answered events by the run's time plus that drain. "Proxy CPU per event" is the
proxy process's CPU (from \`/proc\`, nginx's master and worker together) over a throughput run and its drain. Last,
the outbound HTTP client alone (\`bench/relay/client-cost.ts\`) on each runtime: its CPU per send, 16 at a time.
Goals (issue 26), on Node as on Deno and Bun: at least ${RELAY_GOAL.throughput}x nginx's answered events per second,
${RELAY_GOAL.delivered}x its delivered including the drain, and less than ${RELAY_GOAL.addedP99Ms} ms of added p99 latency.`

const ms = (us: number): string => (us / 1000).toFixed(3)
const rounds = (values: readonly number[], digits: number): string =>
  values.map((value) => value.toFixed(digits)).join(' / ')

/** The tables, and the goals of Bun and Deno. */
export function relaySection(runs: RelayBenchRuns): Section {
  const { targets, throughput, latency, accepted, reachedUpstream, drains, cpuPerEvent, settings } = runs
  const out: string[] = []
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

  out.push(
    `${plural(settings.rounds, 'round')}: latency runs of ${settings.latency.seconds} s, throughput runs of ${settings.throughput.seconds} s.\n`,
    `| target | answered, c=${settings.throughput.connections} (req/s) | vs nginx | delivered incl. drain (ev/s) | vs nginx | proxy CPU per event (µs) | p50, c=${settings.latency.connections} paced (ms) | p99 (ms) | added p50 (ms) | added p99 (ms) | errors |`,
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  )
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
    out.push(`| ${cells.join(' | ')} |`)
  }
  out.push(
    `\npaced load: ${median((latency.get(direct) ?? []).map(goodPerSecond)).toFixed(0)} req/s straight to the upstream (median)`,
  )

  out.push(
    '\n| relay | command | 2xx counted by wrk (incl. warm-up) | forwarded (counter) | other outcomes | reached the upstream | drain after a throughput run (median) |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  )
  for (const { name, command } of targets) {
    const counters = runs.finalCounters.get(name)
    if (counters === undefined) continue
    const other = [...counters.outcomes]
      .filter(([outcome, count]) => outcome !== 'forwarded' && count > 0)
      .map(([outcome, count]) => `${outcome} ${count}`)
    if (counters.depth > 0) other.push(`${counters.depth} still queued`)
    out.push(
      `| ${name} | \`${command}\` | ${accepted.get(name)} | ${counters.outcomes.get('forwarded') ?? 0} | ${other.length === 0 ? 'none' : other.join(', ')} | ${reachedUpstream.get(name)} | ${median(drains.get(name) ?? []).toFixed(0)} ms |`,
    )
  }
  for (const name of [nginx, guideNginx])
    out.push(
      `\n${name}: ${accepted.get(name)} 2xx counted by wrk, ${reachedUpstream.get(name)} reached the upstream (both incl. warm-up and the readiness event).`,
    )

  const goals: Goal[] = []
  for (const name of ['relay on node', 'relay on deno', 'relay on bun']) {
    const ratio = median(versusNginx(rps, name))
    const deliveredRatio = median(versusNginx(delivered, name))
    const p99 = median(added(name, 'p99'))
    const throughputMet = ratio >= RELAY_GOAL.throughput
    const latencyMet = p99 < RELAY_GOAL.addedP99Ms
    out.push(
      `\n${name}: ${ratio.toFixed(2)}x nginx's throughput (rounds ${rounds(versusNginx(rps, name), 2)}; goal >= ${RELAY_GOAL.throughput}: ${verdict(throughputMet)}), ${deliveredRatio.toFixed(2)}x delivered (goal >= ${RELAY_GOAL.delivered}: ${verdict(deliveredRatio >= RELAY_GOAL.delivered)}); against the guide as written ${median(versus(guideNginx, rps, name)).toFixed(2)}x answered, ${median(versus(guideNginx, delivered, name)).toFixed(2)}x delivered; added p99 ${p99.toFixed(3)} ms (rounds ${rounds(added(name, 'p99'), 3)}; goal < ${RELAY_GOAL.addedP99Ms} ms: ${verdict(latencyMet)})`,
    )
    goals.push(
      {
        measure: `${name}, answered req/s vs nginx`,
        goal: `≥ ${RELAY_GOAL.throughput}x`,
        value: `${ratio.toFixed(2)}x`,
        met: throughputMet,
      },
      {
        measure: `${name}, delivered incl. drain vs nginx`,
        goal: `≥ ${RELAY_GOAL.delivered}x`,
        value: `${deliveredRatio.toFixed(2)}x`,
        met: deliveredRatio >= RELAY_GOAL.delivered,
      },
      {
        measure: `${name}, added p99 latency`,
        goal: `< ${RELAY_GOAL.addedP99Ms} ms`,
        value: `${p99.toFixed(3)} ms`,
        met: latencyMet,
      },
    )
  }

  const [sample] = runs.clientCosts.flat()
  if (sample !== undefined) {
    out.push(
      `\nThe outbound HTTP client alone, as the relay sends on each runtime: ${sample.sends.toLocaleString('en')} sends, ${sample.concurrency} at a time, to the same upstream (median of ${plural(runs.clientCosts[0]?.length ?? 0, 'round')}).`,
      '\n| runtime | client | CPU per send (µs) | sends/s |',
      '| --- | --- | --- | --- |',
    )
    for (const costs of runs.clientCosts) {
      const [first] = costs
      if (first === undefined) continue
      const cpu = median(costs.map((cost) => cost.cpuUsPerSend))
      const rate = median(costs.map((cost) => cost.sendsPerSecond))
      out.push(`| ${first.runtime} | ${first.client} | ${cpu.toFixed(1)} | ${rate.toFixed(0)} |`)
    }
  }
  return {
    ...RELAY,
    description: DESCRIPTION,
    body: out.join('\n'),
    goals,
  }
}
