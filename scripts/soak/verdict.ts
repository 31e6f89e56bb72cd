// What one runtime went through in the soak, and the reasons, if any, it fails.

import { accountedEvents, type ServerCounters } from './counters.ts'
import type { ReceiverTally, ServerTime } from './peer-records.ts'
import { type Growth, growthAfterWarmUp, type ResourceSample } from './resources.ts'
import type { RuntimeTally } from './tally.ts'

export interface RuntimeResult {
  readonly runtime: string
  readonly pid: number
  readonly tally: RuntimeTally
  readonly samples: readonly ResourceSample[]
  /** Counters once the traffic stopped and the relay's queue drained (or the drain wait ended). */
  readonly counters: ServerCounters | undefined
  /** How long the final drain took, ms; undefined when the queue did not empty in time. */
  readonly drainMs: number | undefined
  /** Events with this runtime's path that the fake Plausible received, and the contract violations among them. */
  readonly plausible: { readonly received: number; readonly violations: readonly string[] }
  /** Remote write requests from this runtime's instance, by the receiver's answer, and their violations. */
  readonly receiver: ReceiverTally
  /** `/actuator/health` once everything was back up and drained. */
  readonly finalHealth: string
  /** Set when the server exited before the soak stopped it. */
  readonly crashed: string | undefined
  /** Its exit code when the soak stopped it with SIGTERM. */
  readonly exitCode: number | null | undefined
  /** WARN and ERROR lines by level and message. */
  readonly logLines: ReadonlyMap<string, number>
  /** The server's own time per route template, from its request log. */
  readonly serverTimes: ReadonlyMap<string, ServerTime>
}

const MIB = 1024
/**
 * RSS after warm-up moves with garbage collection on every runtime (JavaScriptCore and V8 keep freed pages a while):
 * in the first soaks Node's swung by 30 to 40 MiB within a minute while the JS heap it pushed stayed at 20 to 40 MiB,
 * and a 120 s run came within 1 MiB of a 16 MiB tolerance on that alone. So 24 MiB or 20% of the earlier level,
 * whichever is more, before growth counts as growth: a leak must add about 40 MiB a minute to fail a 120 s soak, 15 to
 * 20 MiB a minute to fail the default 300 s one. Slower leaks need longer soaks.
 */
const rssTolerance = (baselineKb: number): number => Math.max(24 * MIB, baselineKb * 0.2)
/**
 * Descriptors move with connections: up to 16 from the soak's keep-alive pool, 4 from the database pool, up to 16 to
 * Plausible. Medians smooth that; a descriptor leaked per fault or per minute still shows.
 */
const FD_TOLERANCE = 8

export const rssGrowth = (result: RuntimeResult, warmUpMs: number): Growth | undefined =>
  growthAfterWarmUp(result.samples, warmUpMs, (sample) => sample.rssKb, rssTolerance)
export const fdGrowth = (result: RuntimeResult, warmUpMs: number): Growth | undefined =>
  growthAfterWarmUp(
    result.samples,
    warmUpMs,
    (sample) => sample.fds,
    () => FD_TOLERANCE,
  )

/** Every reason this runtime fails the soak; empty when it passes. */
export function failuresOf(result: RuntimeResult, warmUpMs: number): string[] {
  const failures: string[] = []
  const { tally, counters } = result
  if (result.crashed !== undefined) failures.push(`the server exited during the soak: ${result.crashed}`)
  if (result.exitCode !== undefined && result.exitCode !== 0)
    failures.push(`the server exited with ${result.exitCode} on SIGTERM, not 0`)
  for (const [route, { outcomes }] of tally.routes) {
    const timeouts = outcomes.get('timeout') ?? 0
    if (timeouts > 0) failures.push(`${timeouts} request(s) to ${route} hung past their timeout`)
    for (const [label, count] of outcomes)
      if (label.startsWith('unexpected') || label.startsWith('connection error'))
        failures.push(`${count} request(s) to ${route}: ${label}`)
  }
  const rss = rssGrowth(result, warmUpMs)
  if (rss?.keepsGrowing)
    failures.push(
      `RSS keeps growing after warm-up: ${Math.round(rss.growth / MIB)} MiB in the last third over the earlier ones, still ${Math.round(rss.lastThirdRise / MIB)} MiB across the last (tolerance ${Math.round(rss.tolerance / MIB)} MiB)`,
    )
  const fds = fdGrowth(result, warmUpMs)
  if (fds?.keepsGrowing)
    failures.push(
      `open descriptors keep growing after warm-up: +${fds.growth} in the last third over the earlier ones, still +${Math.round(fds.lastThirdRise)} across the last`,
    )
  if (rss === undefined) failures.push('too few resource samples after warm-up to tell growth')
  if (counters === undefined) {
    failures.push('the relay counters could not be read at the end')
    return failures
  }
  const accounted = accountedEvents(counters)
  const accepted = tally.eventsAccepted
  if (accounted < accepted)
    failures.push(
      `${accepted - accounted} accepted event(s) disappeared: 202 to ${accepted}, accounted for ${accounted}`,
    )
  if (accounted > accepted + tally.eventsUnknown)
    failures.push(
      `the relay accounts for ${accounted} events, more than the ${accepted} it answered 202 (+${tally.eventsUnknown} unanswered)`,
    )
  if (counters.relayQueued > 0)
    failures.push(`${counters.relayQueued} event(s) still queued after the drain wait`)
  const forwarded = counters.relay.forwarded ?? 0
  if (result.plausible.received < forwarded)
    failures.push(`forwarded ${forwarded} event(s), the fake Plausible received ${result.plausible.received}`)
  // A send cut by Plausible's outage may have arrived before its answer was lost: counted failed, received anyway.
  if (result.plausible.received > forwarded + (counters.relay.failed ?? 0))
    failures.push(
      `the fake Plausible received ${result.plausible.received} event(s), more than forwarded + failed`,
    )
  if (result.plausible.violations.length > 0)
    failures.push(
      `${result.plausible.violations.length} Events API contract violation(s), first: ${result.plausible.violations[0]}`,
    )
  if (result.receiver.violationCount > 0)
    failures.push(
      `${result.receiver.violationCount} remote write violation(s), first: ${result.receiver.violations[0]}`,
    )
  if ((counters.push.sent ?? 0) === 0) failures.push('no pushed sample was taken by the receiver')
  if (!result.finalHealth.startsWith('200')) failures.push(`health at the end: ${result.finalHealth}`)
  return failures
}
