import type { Label } from '../metrics/export.ts'
import type { Exposure } from '../metrics/exposure.ts'
import { loadOptional } from '../runtime/optional-package.ts'
import { type TimeSeries, toTimeSeries } from './time-series.ts'

/** One remote write request: its series, their one timestamp, and the encoded body. */
export interface Batch {
  readonly series: readonly TimeSeries[]
  readonly timestampMs: number
  readonly body: Uint8Array<ArrayBuffer>
}

/**
 * Loads remote write's encoding, and with it @bufbuild/protobuf and snappyjs, optional peers: the first push does,
 * or the standalone server before it listens.
 * @example const { encodeWriteRequest } = await loadWriteRequestEncoding()
 */
export function loadWriteRequestEncoding(): Promise<typeof import('./write-request.ts')> {
  return loadOptional(
    () => import('./write-request.ts'),
    ['@bufbuild/protobuf', 'snappyjs'],
    'remoteWrite.url (METRICS_REMOTE_WRITE_URL)',
  )
}

/**
 * Collects what leaves now and cuts it into requests of at most `maxSamples` samples. Timestamps increase by at
 * least 1 ms from one collection to the next, as a series' samples must.
 * @example const collect = batchCollector(exposure, external, 2000); const batches = await collect()
 */
export function batchCollector(
  exposure: Exposure,
  external: readonly Label[],
  maxSamples: number,
): () => Promise<Batch[]> {
  let lastTimestampMs = 0
  // The wire format's libraries load with the first push: a server that does not push never pays for them at start.
  const encoding = loadWriteRequestEncoding()
  // Awaited with the first push; until then a missing package must not end the process as an unhandled rejection.
  encoding.catch(() => {})
  return async () => {
    const { encodeWriteRequest } = await encoding
    const series = toTimeSeries(await exposure.families(), external)
    const timestampMs = Math.max(Date.now(), lastTimestampMs + 1)
    lastTimestampMs = timestampMs
    const batches: Batch[] = []
    for (let start = 0; start < series.length; start += maxSamples) {
      const part = series.slice(start, start + maxSamples)
      batches.push({
        series: part,
        timestampMs,
        body: encodeWriteRequest(part, timestampMs) as Uint8Array<ArrayBuffer>,
      })
    }
    return batches
  }
}
