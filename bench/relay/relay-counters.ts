// The relay's own bookkeeping, read from its Prometheus exposition.
import { setTimeout as sleep } from 'node:timers/promises'

export interface RelayCounters {
  /** Events accepted and not yet forwarded. */
  readonly depth: number
  /** `meshstack_relay_events_total` by outcome. */
  readonly outcomes: Map<string, number>
}

export async function relayCounters(metricsUrl: string): Promise<RelayCounters> {
  const text = await (await fetch(metricsUrl)).text()
  const outcomes = new Map<string, number>()
  let depth = Number.NaN
  for (const line of text.split('\n')) {
    const event = /^meshstack_relay_events_total\{application="[^"]*",outcome="([a-z_]+)"\} (\S+)$/.exec(line)
    if (event?.[1] !== undefined) outcomes.set(event[1], Number(event[2]))
    const queue = /^meshstack_relay_queue_depth\{application="[^"]*"\} (\S+)$/.exec(line)
    if (queue?.[1] !== undefined) depth = Number(queue[1])
  }
  return { depth, outcomes }
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
