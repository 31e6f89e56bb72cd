import type { MetricDefinition } from '../metrics/definition.ts'
import type { Registry } from '../metrics/registry.ts'
import type { Scrubbed } from './sanitize.ts'

/** What can become of an event the browser sent. */
export type EventOutcome =
  | 'forwarded'
  | 'dropped'
  | 'rejected'
  | 'failed'
  | 'overflow'
  | 'invalid'
  | 'rate_limited'
  | 'client_aborted'
  | 'client_timeout'

const RELAY_METRICS = {
  events: {
    name: 'meshstack_relay_events_total',
    type: 'counter',
    help: 'Usage events by outcome: forwarded, dropped (by Plausible), rejected (by Plausible), failed, overflow (queue full), invalid, rate_limited, client_aborted (the browser closed the connection mid-body), client_timeout (the body did not arrive in time).',
    labels: { outcome: 'operational' },
  },
  scrubbed: {
    name: 'meshstack_relay_scrubbed_total',
    type: 'counter',
    help: 'Values replaced by a placeholder before an event left, by field (url, referrer, props) and kind (email, secret: a token, key, password or signature).',
    labels: { field: 'operational', kind: 'operational' },
  },
  retries: {
    name: 'meshstack_relay_retries_total',
    type: 'counter',
    help: 'Sends retried because the event surely did not arrive.',
  },
  depth: {
    name: 'meshstack_relay_queue_depth',
    type: 'gauge',
    help: 'Events accepted and not yet forwarded.',
  },
} as const satisfies Record<string, MetricDefinition>

export interface RelayMetrics {
  count(outcome: EventOutcome): void
  retried(): void
  /** Counts the values scrubbed from an event that is sent. */
  scrubbed(values: readonly Scrubbed[]): void
  /** Reports the queue's depth, read at each scrape. */
  watchQueue(depth: () => number): void
}

/**
 * The relay's metrics: every outcome counted, retries, values scrubbed, and the queue's depth.
 * @example relayMetrics(registry).count('forwarded')
 */
export function relayMetrics(registry: Registry): RelayMetrics {
  const events = registry.counter(RELAY_METRICS.events)
  const retries = registry.counter(RELAY_METRICS.retries)
  const scrubbed = registry.counter(RELAY_METRICS.scrubbed)
  return {
    count: (outcome) => events.inc({ outcome }),
    retried: () => retries.inc(),
    scrubbed: (values) => {
      for (const { field, kind } of values) scrubbed.inc({ field, kind })
    },
    watchQueue: (depth) =>
      registry.collector({
        name: 'relay',
        definitions: [RELAY_METRICS.depth],
        collect: (emit) => emit(RELAY_METRICS.depth, depth()),
      }),
  }
}
