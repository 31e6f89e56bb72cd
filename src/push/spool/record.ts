// One spooled push request, as it lies in a segment: a fixed header, then the request body exactly as it is sent
// (remote write's snappy-compressed protobuf). Little-endian throughout:
//
//   0  magic "MSRW"     4  version (1)   5  reserved (0, 3 bytes)
//   8  sequence (u64)   16 timestamp of its samples, ms (i64)   24 samples (u32)   28 body length (u32)
//   32 CRC-32 of bytes 8-31 and the body (u32)   36 body
//
// The checksum covers everything but the magic and the version, which are checked by value: a torn write (a
// process killed mid-append) or a flipped bit shows as a record that does not check, and what follows it is not
// trusted either, since its start is no longer known.

const MAGIC = [0x4d, 0x53, 0x52, 0x57] as const
const VERSION = 1
export const HEADER_BYTES = 36

/** A request the spool holds: its place in the order, what it carries, and its body. */
export interface SpooledRecord {
  readonly seq: number
  readonly timestampMs: number
  readonly samples: number
  readonly body: Uint8Array<ArrayBuffer>
  /** Its size on disk, header included. */
  readonly bytes: number
}

export type Crc32 = (bytes: Uint8Array) => number

/** The bytes of one record. */
export function encodeRecord(record: Omit<SpooledRecord, 'bytes'>, crc32: Crc32): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(HEADER_BYTES + record.body.length)
  const view = new DataView(bytes.buffer)
  bytes.set(MAGIC, 0)
  view.setUint8(4, VERSION)
  view.setBigUint64(8, BigInt(record.seq), true)
  view.setBigInt64(16, BigInt(record.timestampMs), true)
  view.setUint32(24, record.samples, true)
  view.setUint32(28, record.body.length, true)
  bytes.set(record.body, HEADER_BYTES)
  view.setUint32(32, crc32(checked(bytes)), true)
  return bytes
}

// What the checksum covers: the fields after the version, and the body.
const checked = (record: Uint8Array): Uint8Array => {
  const covered = new Uint8Array(record.length - 12)
  covered.set(record.subarray(8, 32), 0)
  covered.set(record.subarray(HEADER_BYTES), 24)
  return covered
}

/** What a segment holds: its records up to the first that does not check, and why reading stopped there. */
export interface SegmentContent {
  readonly records: SpooledRecord[]
  /** Not a segment of this spool: it does not start with the magic. Nothing of it is read. */
  readonly foreign: boolean
  /** Why the records after the last one read are given up, with the offset where reading stopped. */
  readonly damage?: string
}

const hasMagic = (bytes: Uint8Array, offset: number) =>
  MAGIC.every((byte, index) => bytes[offset + index] === byte)

/**
 * Reads the records of a segment, oldest first, up to the end or the first damage.
 * @example const { records, damage } = readSegment(await folder.read(name), folder.crc32)
 */
export function readSegment(bytes: Uint8Array, crc32: Crc32): SegmentContent {
  if (bytes.length > 0 && (bytes.length < MAGIC.length || !hasMagic(bytes, 0)))
    return { records: [], foreign: true }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const records: SpooledRecord[] = []
  let offset = 0
  const stop = (why: string): SegmentContent => ({
    records,
    foreign: false,
    damage: `${why} at byte ${offset} (${records.length} requests read before it)`,
  })
  while (offset < bytes.length) {
    if (bytes.length - offset < HEADER_BYTES) return stop('a truncated header')
    if (!hasMagic(bytes, offset)) return stop('no record start')
    const version = view.getUint8(offset + 4)
    if (version !== VERSION) return stop(`record version ${version}, not ${VERSION}`)
    const length = view.getUint32(offset + 28, true)
    if (bytes.length - offset - HEADER_BYTES < length) return stop('a truncated body')
    const record = bytes.subarray(offset, offset + HEADER_BYTES + length)
    if (crc32(checked(record)) !== view.getUint32(offset + 32, true)) return stop('a checksum mismatch')
    records.push({
      seq: Number(view.getBigUint64(offset + 8, true)),
      timestampMs: Number(view.getBigInt64(offset + 16, true)),
      samples: view.getUint32(offset + 24, true),
      body: record.slice(HEADER_BYTES),
      bytes: record.length,
    })
    offset += record.length
  }
  return { records, foreign: false }
}
