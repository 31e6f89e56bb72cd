import type { MetricDefinition } from '../../metrics/definition.ts'
import type { Registry } from '../../metrics/registry.ts'

const SPOOL_METRICS = {
  dropped: {
    name: 'meshstack_remote_write_spool_dropped_batches_total',
    type: 'counter',
    help: 'Remote write requests the spool gave up unsent, by the bound they passed: size (METRICS_REMOTE_WRITE_SPOOL_MAX_BYTES) or age (METRICS_REMOTE_WRITE_SPOOL_MAX_AGE_SECONDS).',
    labels: { reason: 'operational' },
  },
  skipped: {
    name: 'meshstack_remote_write_spool_skipped_files_total',
    type: 'counter',
    help: 'Spool files not read whole at start, by reason: damaged (the requests after the damage are lost) or foreign (not a segment of this spool, left as it is).',
    labels: { reason: 'operational' },
  },
  bytes: {
    name: 'meshstack_remote_write_spool_bytes',
    type: 'gauge',
    help: 'Bytes of unsent remote write requests in the spool (METRICS_REMOTE_WRITE_SPOOL_DIR); absent without one.',
    unit: 'bytes',
  },
} as const satisfies Record<string, MetricDefinition>

export interface SpoolMetrics {
  dropped(reason: 'size' | 'age'): void
  skipped(reason: 'damaged' | 'foreign'): void
}

/**
 * The spool's own figures, declared whenever the push is on so that the catalogue lists them; `bytes` is the
 * spool's when there is one.
 * @example const metrics = spoolMetrics(registry, () => spool.bytes())
 */
export function spoolMetrics(registry: Registry, bytes?: () => number): SpoolMetrics {
  const dropped = registry.counter(SPOOL_METRICS.dropped)
  const skipped = registry.counter(SPOOL_METRICS.skipped)
  registry.collector({
    name: 'remote-write-spool',
    definitions: [SPOOL_METRICS.bytes],
    collect(emit) {
      if (bytes !== undefined) emit(SPOOL_METRICS.bytes, bytes())
    },
  })
  return {
    dropped: (reason) => dropped.inc({ reason }),
    skipped: (reason) => skipped.inc({ reason }),
  }
}
