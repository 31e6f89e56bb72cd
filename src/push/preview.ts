import type { TimeSeries } from './time-series.ts'

/** The last request the push made, as it was transmitted. */
export interface TransmittedBatch {
  readonly target: string
  readonly sentAt: string
  readonly outcome: 'sent' | 'refused' | 'retry' | 'dropped'
  readonly status?: number
  readonly detail?: string
  readonly timestampMs: number
  readonly samples: number
  /** Unknown for a request from the spool that an earlier run or collection made: its body is on disk alone. */
  readonly series: readonly TimeSeries[] | undefined
}

export interface PreviewState {
  readonly enabled: boolean
  readonly target?: string
  readonly intervalSeconds?: number
  readonly last: () => TransmittedBatch | undefined
}

/**
 * The push's part of `/actuator/telemetry`, for a customer to audit: the receiver (without credentials), and the
 * last request exactly as sent: every series with its labels and value, when, and what became of it.
 * @example pushPreview({ enabled: false, last: () => undefined })() // { enabled: false, lastBatch: null }
 */
export function pushPreview(state: PreviewState): () => Readonly<Record<string, unknown>> {
  return () => {
    const last = state.last()
    return {
      enabled: state.enabled,
      ...(state.target !== undefined && { target: state.target, intervalSeconds: state.intervalSeconds }),
      lastBatch:
        last === undefined
          ? null
          : {
              ...last,
              series:
                last.series?.map(({ labels, value }) => ({
                  labels: Object.fromEntries(labels),
                  value: Number.isFinite(value) ? value : String(value),
                  timestampMs: last.timestampMs,
                })) ?? null,
            },
    }
  }
}
