import type { Batch } from './batches.ts'
import type { Delivery } from './delivery.ts'
import type { TimeSeries } from './time-series.ts'

/** A request waiting to be sent: what it carries and its body, as sent. */
export interface Pending {
  readonly timestampMs: number
  readonly samples: number
  readonly body: Uint8Array<ArrayBuffer>
}

/** Where the requests wait while the receiver cannot take them: in memory, or in the spool on disk. */
export interface Backlog {
  /** Requests delivery keeps at most; the spool bounds itself by size and age instead (`trim`). */
  readonly capacity: number
  /** Whether what is left unsent at shutdown is kept for the next start. */
  readonly durable: boolean
  /**
   * What an earlier run left unsent, oldest first, within the bounds: what is beyond them goes to `dropped` (before
   * delivery holds any of it, so none is the one being sent, which delivery never drops).
   */
  restore(dropped: (request: Pending) => void): Promise<Pending[]>
  /** Keeps a collection's requests until they are released: on disk first, for the spool. */
  keep(batches: readonly Batch[]): Promise<Pending[]>
  /** Gives up the oldest waiting requests while the backlog holds more than it may. */
  trim(delivery: Pick<Delivery<Pending>, 'dropWhile'>): void
  /** The series a request carries, for the preview, where they are still known. */
  seriesOf(request: Pending): readonly TimeSeries[] | undefined
  /** The request is settled (sent, refused or dropped): it is not kept any longer. */
  release(request: Pending): void
  close(): Promise<void>
}

/** A collection's requests as delivery queues them. */
export const pendingOf = (batch: Batch): Pending => ({
  timestampMs: batch.timestampMs,
  samples: batch.series.length,
  body: batch.body,
})

/**
 * Today's buffer: up to `capacity` requests in memory, lost with the process; each keeps its series for the preview.
 * @example const backlog = memoryBacklog(settings.bufferBatches)
 */
export function memoryBacklog(capacity: number): Backlog {
  const series = new WeakMap<Pending, readonly TimeSeries[]>()
  return {
    capacity,
    durable: false,
    restore: async () => [],
    keep: async (batches) =>
      batches.map((batch) => {
        const request = pendingOf(batch)
        series.set(request, batch.series)
        return request
      }),
    // Delivery drops by count itself.
    trim: () => {},
    seriesOf: (request) => series.get(request),
    release: () => {},
    close: async () => {},
  }
}
