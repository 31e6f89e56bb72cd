// The relay's own bookkeeping, read from its Prometheus exposition.
import { setTimeout as sleep } from 'node:timers/promises'
import { samplesOf } from '../../test/helpers/exposition.ts'

export interface RelayCounters {
  /** Events accepted and not yet forwarded. */
  readonly depth: number
  /** `meshstack_relay_events_total` by outcome. */
  readonly outcomes: Map<string, number>
}

export async function relayCounters(metricsUrl: string): Promise<RelayCounters> {
  const text = await (await fetch(metricsUrl)).text()
  return {
    depth: samplesOf(text, 'meshstack_relay_queue_depth')[0]?.value ?? Number.NaN,
    outcomes: new Map(
      samplesOf(text, 'meshstack_relay_events_total').map(({ labels, value }) => [
        labels.outcome ?? '',
        value,
      ]),
    ),
  }
}

/** Waits until the relay has no event left to forward; returns how long that took (ms), or NaN if it did not. */
export async function drain(metricsUrl: string, timeoutMs = 60_000): Promise<number> {
  const started = performance.now()
  while (performance.now() - started < timeoutMs) {
    if ((await relayCounters(metricsUrl)).depth === 0) return performance.now() - started
    await sleep(100)
  }
  return Number.NaN
}
