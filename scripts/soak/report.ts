// The soak's report in Markdown: the faults as they happened, then per runtime the requests, the errors by kind,
// memory and descriptors over time, the relay's events and the push, and the verdict with its reasons.
import { SETTLED_OUTCOMES } from './counters.ts'
import type { FaultRecord, Phases } from './faults.ts'
import { growthAfterWarmUp, type ResourceSample } from './resources.ts'
import { fdGrowth, type RuntimeResult, rssGrowth } from './verdict.ts'

export interface SoakSummary {
  readonly environment: string
  readonly command: string
  readonly rate: number
  readonly phases: Phases
  readonly faults: readonly FaultRecord[]
  readonly results: readonly RuntimeResult[]
  /** Reasons per runtime, and the soak's own under "soak". */
  readonly failures: ReadonlyMap<string, readonly string[]>
  readonly wallSeconds: number
  /** Date.now() when the traffic started: pushed samples carry Unix times. */
  readonly trafficStartEpochMs: number
  /** The soak process's own event-loop delay while the traffic ran: how late it may have sent or read. */
  readonly clientLagMs: { readonly p99: number; readonly max: number }
}

const seconds = (ms: number) => (ms / 1000).toFixed(1)
const mib = (kb: number) => (kb / 1024).toFixed(1)
const table = (head: readonly string[], rows: readonly (readonly (string | number)[])[]): string[] => [
  `| ${head.join(' | ')} |`,
  `| ${head.map(() => '---').join(' | ')} |`,
  ...rows.map((row) => `| ${row.join(' | ')} |`),
]

/** Samples about every 10 s, the first after warm-up and the last included. */
function thinned(samples: readonly ResourceSample[], warmUpMs: number): ResourceSample[] {
  const after = samples.filter((sample) => sample.atMs >= warmUpMs)
  const kept = after.filter((_, index) => index === 0 || index === after.length - 1 || index % 5 === 0)
  return [...samples.filter((sample) => sample.atMs < warmUpMs).slice(-1), ...kept]
}

/** RSS and descriptors at the first sample after warm-up and at the last. */
function startAndEnd(samples: readonly ResourceSample[], warmUpMs: number): string {
  const start = samples.find((sample) => sample.atMs >= warmUpMs)
  const end = samples.at(-1)
  if (start === undefined || end === undefined) return 'No sample after warm-up.'
  return `Start (t+${seconds(start.atMs)} s, after warm-up): RSS ${mib(start.rssKb)} MiB, ${start.fds} fds. End (t+${seconds(end.atMs)} s): RSS ${mib(end.rssKb)} MiB, ${end.fds} fds.`
}

/** The pushed heap sample nearest to `atMs`, in MiB. */
function heapNear(heap: readonly { atMs: number; bytes: number }[], atMs: number): string {
  let nearest: { atMs: number; bytes: number } | undefined
  for (const sample of heap)
    if (nearest === undefined || Math.abs(sample.atMs - atMs) < Math.abs(nearest.atMs - atMs))
      nearest = sample
  return nearest === undefined || Math.abs(nearest.atMs - atMs) > 5000 ? '' : mib(nearest.bytes / 1024)
}

function runtimeSection(
  result: RuntimeResult,
  phases: Phases,
  failures: readonly string[],
  trafficStartEpochMs: number,
): string[] {
  const { tally, counters } = result
  const heap = result.receiver.heapUsed.map(({ timestampMs, bytes }) => ({
    atMs: timestampMs - trafficStartEpochMs,
    bytes,
  }))
  const heapThirds = growthAfterWarmUp(
    heap,
    phases.warmUpMs,
    (sample) => sample.bytes / 1024,
    () => 0,
  )?.thirds
  const routes = [...tally.routes].map(([route, routeTally]) => [
    route,
    routeTally.requests,
    [...routeTally.outcomes].map(([label, count]) => `${label}: ${count}`).join(', '),
    Math.round(routeTally.maxMs),
  ])
  const errors = new Map<string, number>()
  for (const [route, { outcomes }] of tally.routes)
    for (const [label, count] of outcomes)
      if (label.startsWith('unexpected') || label.startsWith('connection') || label === 'timeout')
        errors.set(`${route}: ${label}`, (errors.get(`${route}: ${label}`) ?? 0) + count)
  const rss = rssGrowth(result, phases.warmUpMs)
  const fds = fdGrowth(result, phases.warmUpMs)
  const relay = counters?.relay ?? {}
  const lines = [
    `## ${result.runtime} (pid ${result.pid}): ${failures.length === 0 ? 'PASS' : 'FAIL'}`,
    '',
    ...failures.map((failure) => `- FAIL: ${failure}`),
    ...(failures.length > 0 ? [''] : []),
    `### Requests (${[...tally.routes.values()].reduce((sum, route) => sum + route.requests, 0)}; ${tally.skipped} not sent, too many waiting)`,
    '',
    ...table(['route', 'requests', 'outcomes', 'slowest ms'], routes),
    '',
    "The server's own time, from its request log (from the start of the server, warm-up and the final checks included):",
    '',
    ...table(
      ['route template', 'requests logged', 'slowest ms'],
      [...result.serverTimes]
        .sort(([, a], [, b]) => b.slowestMs - a.slowestMs)
        .map(([route, time]) => [route, time.requests, Math.round(time.slowestMs)]),
    ),
    '',
    '### Errors by kind',
    '',
    ...(errors.size === 0 ? ['none'] : [...errors].map(([what, count]) => `- ${what}: ${count}`)),
    ...tally.incidents.map(
      (incident) => `  - t+${seconds(incident.atMs)} s ${incident.route}: ${incident.what}`,
    ),
    '',
    '### Memory and descriptors',
    '',
    ...table(
      ['t (s)', 'RSS MiB', 'JS heap used MiB (pushed)', 'open fds'],
      thinned(result.samples, phases.warmUpMs).map((sample) => [
        `${seconds(sample.atMs)}${sample.atMs < phases.warmUpMs ? ' (warm-up)' : ''}`,
        mib(sample.rssKb),
        heapNear(heap, sample.atMs),
        sample.fds,
      ]),
    ),
    '',
    startAndEnd(result.samples, phases.warmUpMs),
    '',
    rss === undefined || fds === undefined
      ? 'Too few samples after warm-up.'
      : `Medians of the thirds after warm-up: RSS ${rss.thirds.map(mib).join(' / ')} MiB (last over the higher earlier ${mib(rss.growth)}, rise across the last ${mib(rss.lastThirdRise)}, tolerance ${mib(rss.tolerance)}); fds ${fds.thirds.join(' / ')} (rise across the last ${fds.lastThirdRise.toFixed(1)}, tolerance ${fds.tolerance}); JS heap used ${heapThirds?.map(mib).join(' / ') ?? '?'} MiB.`,
    '',
    '### Relay events',
    '',
    ...table(
      ['accepted (202 seen)', 'unanswered', ...SETTLED_OUTCOMES, 'queued', 'Plausible received', 'retries'],
      [
        [
          tally.eventsAccepted,
          tally.eventsUnknown,
          ...SETTLED_OUTCOMES.map((outcome) => relay[outcome] ?? 0),
          counters?.relayQueued ?? '?',
          result.plausible.received,
          counters?.relayRetries ?? '?',
        ],
      ],
    ),
    '',
    `Refused by the relay: ${['invalid', 'rate_limited', 'overflow', 'client_aborted', 'client_timeout'].map((outcome) => `${outcome} ${relay[outcome] ?? 0}`).join(', ')}. Final drain: ${result.drainMs === undefined ? 'did not empty in time' : `${Math.round(result.drainMs)} ms`}.`,
    '',
    '### Push',
    '',
    `Samples ${Object.entries(counters?.push ?? {})
      .map(([outcome, count]) => `${outcome} ${count}`)
      .join(
        ', ',
      )}; retries ${counters?.pushRetries ?? '?'}; requests the receiver took ${result.receiver.taken}, refused ${result.receiver.refused}.`,
    '',
    '### Server',
    '',
    `Health at the end: ${result.finalHealth}. Exit on SIGTERM: ${result.exitCode ?? 'n/a'}.${result.crashed ? ` Crashed: ${result.crashed}.` : ''}`,
    '',
    ...(result.logLines.size === 0
      ? ['No WARN or ERROR lines.']
      : table(
          ['level', 'message', 'occurrences'],
          [...result.logLines].map(([key, count]) => [...key.split('\t'), count]),
        )),
    '',
  ]
  return lines
}

/** The whole report. */
export function renderReport(summary: SoakSummary): string {
  const failed = [...summary.failures.values()].some((reasons) => reasons.length > 0)
  const soakFailures = summary.failures.get('soak') ?? []
  return [
    `# Soak: ${failed ? 'FAIL' : 'PASS'}`,
    '',
    summary.environment,
    '',
    `\`${summary.command}\`: ${seconds(summary.phases.durationMs)} s of traffic at ${summary.rate} requests/s per server (warm-up ${seconds(summary.phases.warmUpMs)} s, faults until t+${seconds(summary.phases.faultsEndMs)} s), wall time ${summary.wallSeconds.toFixed(0)} s. The soak's own event-loop delay: p99 ${summary.clientLagMs.p99.toFixed(0)} ms, max ${summary.clientLagMs.max.toFixed(0)} ms.`,
    '',
    ...soakFailures.map((failure) => `- FAIL: ${failure}`),
    ...(soakFailures.length > 0 ? [''] : []),
    '## Faults',
    '',
    ...table(
      ['t (s)', 'at', 'fault', 'took ms', 'error'],
      summary.faults.map((fault) => [
        seconds(fault.startMs),
        fault.startedAt,
        fault.kind,
        fault.endMs === undefined ? 'unfinished' : Math.round(fault.endMs - fault.startMs),
        fault.error ?? '',
      ]),
    ),
    '',
    ...summary.results.flatMap((result) =>
      runtimeSection(
        result,
        summary.phases,
        summary.failures.get(result.runtime) ?? [],
        summary.trafficStartEpochMs,
      ),
    ),
  ].join('\n')
}
