import { BinaryWriter, WireType } from '@bufbuild/protobuf/wire'
import SnappyJS from 'snappyjs'
import type { TimeSeries } from './time-series.ts'

// prometheus/prometheus prompb/remote.proto and types.proto, as remote write 1.0 fixes them:
// WriteRequest { repeated TimeSeries timeseries = 1 }, TimeSeries { repeated Label labels = 1;
// repeated Sample samples = 2 }, Label { string name = 1; string value = 2 }, Sample { double value = 1;
// int64 timestamp = 2 }.
const TIMESERIES = 1
const LABELS = 1
const SAMPLES = 2
const NAME = 1
const VALUE = 2
const SAMPLE_VALUE = 1
const SAMPLE_TIMESTAMP = 2

/**
 * A remote write 1.0 request body: the protobuf `WriteRequest` of `series`, each with one sample at `timestampMs`,
 * compressed with snappy's block format. Encoding is @bufbuild/protobuf's, compression snappyjs'.
 * @example const body = encodeWriteRequest(toTimeSeries(families, external), Date.now())
 */
export function encodeWriteRequest(series: readonly TimeSeries[], timestampMs: number): Uint8Array {
  const writer = new BinaryWriter()
  for (const { labels, value } of series) {
    writer.tag(TIMESERIES, WireType.LengthDelimited).fork()
    for (const [name, text] of labels) {
      writer.tag(LABELS, WireType.LengthDelimited).fork()
      writer.tag(NAME, WireType.LengthDelimited).string(name)
      writer.tag(VALUE, WireType.LengthDelimited).string(text)
      writer.join()
    }
    writer.tag(SAMPLES, WireType.LengthDelimited).fork()
    writer.tag(SAMPLE_VALUE, WireType.Bit64).double(value)
    writer.tag(SAMPLE_TIMESTAMP, WireType.Varint).int64(timestampMs)
    writer.join()
    writer.join()
  }
  return SnappyJS.compress(writer.finish())
}
