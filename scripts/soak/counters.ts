// The relay's and the push's own bookkeeping, read from a server's /actuator/prometheus.
import { samplesOf } from '../../test/helpers/exposition.ts'
import { SOAK_SETTINGS } from './servers.ts'

export interface ServerCounters {
  /** meshstack_relay_events_total by outcome. */
  readonly relay: Readonly<Record<string, number>>
  /** meshstack_relay_queue_depth: accepted and not yet forwarded. */
  readonly relayQueued: number
  readonly relayRetries: number
  /** meshstack_remote_write_samples_total by outcome. */
  readonly push: Readonly<Record<string, number>>
  readonly pushRetries: number
  readonly pushPending: number
}

const byLabel = (text: string, name: string, label: string): Record<string, number> =>
  Object.fromEntries(samplesOf(text, name).map(({ labels, value }) => [labels[label] ?? '', value]))

const single = (text: string, name: string): number => samplesOf(text, name)[0]?.value ?? 0

/** Reads the counters of the server at `url`; throws when it does not answer 200 within `timeoutMs`. */
export async function readCounters(url: string, timeoutMs = 5000): Promise<ServerCounters> {
  const response = await fetch(`${url}/actuator/prometheus`, {
    headers: { authorization: `Bearer ${SOAK_SETTINGS.managementToken}` },
    signal: AbortSignal.timeout(timeoutMs),
  })
  const text = await response.text()
  if (response.status !== 200) throw new Error(`${url}/actuator/prometheus answered ${response.status}`)
  return {
    relay: byLabel(text, 'meshstack_relay_events_total', 'outcome'),
    relayQueued: single(text, 'meshstack_relay_queue_depth'),
    relayRetries: single(text, 'meshstack_relay_retries_total'),
    push: byLabel(text, 'meshstack_remote_write_samples_total', 'outcome'),
    pushRetries: single(text, 'meshstack_remote_write_retries_total'),
    pushPending: single(text, 'meshstack_remote_write_pending_batches'),
  }
}

/** Outcomes of events the relay accepted (answered 202): each accepted event ends in exactly one of them. */
export const SETTLED_OUTCOMES = ['forwarded', 'dropped', 'rejected', 'failed'] as const

/** Events the relay accounts for: settled ones plus those still queued. */
export const accountedEvents = (counters: ServerCounters): number =>
  SETTLED_OUTCOMES.reduce((sum, outcome) => sum + (counters.relay[outcome] ?? 0), counters.relayQueued)
