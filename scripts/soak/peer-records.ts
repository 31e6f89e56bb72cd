// What the shared peers and a server's own log say about one runtime, told apart by what each runtime sends.
import type { FakePlausible } from '../../test/helpers/fake-plausible/server.ts'
import type { FakeReceiver, ReceivedWrite } from '../../test/helpers/remote-write-receiver.ts'
import type { RuntimeName } from './args.ts'

/** Events whose page path starts with the runtime's name (requests.ts puts it there), with their violations. */
export function plausibleRecords(
  plausible: FakePlausible,
  runtime: RuntimeName,
): { received: number; violations: string[] } {
  const events = plausible.events.filter((event) => {
    const url = typeof event.body.url === 'string' ? event.body.url : ''
    return URL.canParse(url) && new URL(url).pathname.startsWith(`/${runtime}/`)
  })
  return { received: events.length, violations: events.flatMap((event) => event.violations) }
}

/** Remote write requests of one runtime's instance by the receiver's answer, and the rules they broke. */
export interface ReceiverTally {
  taken: number
  refused: number
  violationCount: number
  /** The first few violations, as the receiver words them. */
  readonly violations: string[]
  /** `process_heap_used_bytes` as pushed, by the sample's Unix time in ms: what of RSS is the JavaScript heap. */
  readonly heapUsed: { readonly timestampMs: number; readonly bytes: number }[]
}

const KEPT_VIOLATIONS = 10

export const emptyReceiverTally = (): ReceiverTally => ({
  taken: 0,
  refused: 0,
  violationCount: 0,
  violations: [],
  heapUsed: [],
})

/**
 * Counts the requests the receiver recorded since the last call into the tally of the runtime whose instance
 * (`soak-<runtime>`) they carry, and lets the receiver forget them: a push a second of a few hundred series would
 * otherwise pile up in this process. Returns them, for the push servers' tally (push-kill.ts).
 */
export function foldReceiverWrites(
  receiver: FakeReceiver,
  tallies: ReadonlyMap<string, ReceiverTally>,
): readonly ReceivedWrite[] {
  const writes = receiver.takeWrites()
  for (const write of writes) {
    const instance = write.series.flatMap(({ labels }) => labels).find(([name]) => name === 'instance')?.[1]
    const tally = tallies.get(instance?.replace(/^soak-/, '') ?? '')
    if (tally === undefined) continue
    if (write.status < 300) tally.taken++
    else tally.refused++
    const heap = write.series.find(({ labels }) =>
      labels.some(([name, value]) => name === '__name__' && value === 'process_heap_used_bytes'),
    )
    for (const sample of write.status < 300 ? (heap?.samples ?? []) : [])
      tally.heapUsed.push({ timestampMs: sample.timestampMs, bytes: sample.value })
    tally.violationCount += write.violations.length
    tally.violations.push(...write.violations.slice(0, KEPT_VIOLATIONS - tally.violations.length))
  }
  return writes
}

/** WARN and ERROR lines of a server's log, counted by `level<TAB>msg`. */
export function warningLines(logs: readonly Record<string, unknown>[]): Map<string, number> {
  const counts = new Map<string, number>()
  for (const entry of logs) {
    if (entry.level !== 'warn' && entry.level !== 'error') continue
    const key = `${entry.level}\t${String(entry.msg)}`
    counts.set(key, (counts.get(key) ?? 0) + Number(entry.count ?? 1))
  }
  return counts
}

/** What the server's request log says of one route template: requests logged and the slowest of them. */
export interface ServerTime {
  requests: number
  slowestMs: number
}

/**
 * The server's own time per route template, from its request log, next to what the soak's client measured: a slow
 * answer that the server logged as fast waited in the client, the kernel or for a CPU, not in the module.
 */
export function serverTimes(logs: readonly Record<string, unknown>[]): Map<string, ServerTime> {
  const times = new Map<string, ServerTime>()
  for (const entry of logs) {
    if (entry.msg !== 'request') continue
    const key = `${String(entry.method)} ${String(entry.route)}`
    const time = times.get(key) ?? { requests: 0, slowestMs: 0 }
    time.requests++
    time.slowestMs = Math.max(time.slowestMs, Number(entry.durationMs))
    times.set(key, time)
  }
  return times
}
