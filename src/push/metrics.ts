import type { MetricDefinition } from '../metrics/definition.ts'
import type { Registry } from '../metrics/registry.ts'

const PUSH_METRICS = {
  samples: {
    name: 'meshstack_remote_write_samples_total',
    type: 'counter',
    help: 'Samples pushed to the central monitoring system by outcome: sent, failed (refused by the receiver), dropped (buffer full, a spool bound, or left at shutdown without a spool, which keeps them for the next start).',
    labels: { outcome: 'operational' },
  },
  retries: {
    name: 'meshstack_remote_write_retries_total',
    type: 'counter',
    help: 'Remote write requests sent again after a 5xx, a 429 or no answer.',
  },
  pending: {
    name: 'meshstack_remote_write_pending_batches',
    type: 'gauge',
    help: 'Remote write requests waiting to be sent.',
  },
  lastSuccess: {
    name: 'meshstack_remote_write_last_success_timestamp_seconds',
    type: 'gauge',
    help: 'When the receiver last took a request (Unix time); absent until it has.',
    unit: 'seconds',
  },
} as const satisfies Record<string, MetricDefinition>

export interface PushMetrics {
  samples(outcome: 'sent' | 'failed' | 'dropped', count: number): void
  retried(): void
}

/**
 * The push's own health as metrics, which it pushes too.
 * @example const metrics = pushMetrics(registry, { pending: () => delivery.pending(), lastSuccessMs: () => last })
 */
export function pushMetrics(
  registry: Registry,
  state: { readonly pending: () => number; readonly lastSuccessMs: () => number | undefined },
): PushMetrics {
  const samples = registry.counter(PUSH_METRICS.samples)
  const retries = registry.counter(PUSH_METRICS.retries)
  registry.collector({
    name: 'remote-write',
    definitions: [PUSH_METRICS.pending, PUSH_METRICS.lastSuccess],
    collect(emit) {
      emit(PUSH_METRICS.pending, state.pending())
      const last = state.lastSuccessMs()
      if (last !== undefined) emit(PUSH_METRICS.lastSuccess, last / 1000)
    },
  })
  return {
    samples: (outcome, count) => samples.inc({ outcome }, count),
    retried: () => retries.inc(),
  }
}
