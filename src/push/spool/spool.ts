import type { AppendOnlyFile, DurableFolder, OpenDurableFolder } from '../../runtime/files.ts'
import { encodeRecord, readSegment, type SpooledRecord } from './record.ts'

// A segment is closed and a new one begun past this size; one is deleted once each of its requests is settled, so
// the folder holds at most this much more than the requests still to send.
const SEGMENT_BYTES = 1024 * 1024
/** The sequence number of the last request settled along with every one before it. */
const ACKED = 'acked'
const SEGMENT = /^\d{16}\.seg$/
const segmentName = (firstSeq: number) => `${String(firstSeq).padStart(16, '0')}.seg`

/** A file of the spool that could not be read whole: what the spool tells its owner. */
export interface SkippedFile {
  readonly file: string
  readonly reason: 'damaged' | 'foreign'
  readonly detail: string
}

export interface Spool {
  /**
   * Opens the folder and reads what an earlier run left unsent, oldest first; damaged and foreign segments are
   * reported to `skipped` and left out. Called once, before the first `append`.
   */
  recover(): Promise<SpooledRecord[]>
  /** Writes a request to the current segment; resolves once it is on disk. */
  append(request: Omit<SpooledRecord, 'seq' | 'bytes'>): Promise<SpooledRecord>
  /** The request is done with (sent, refused or dropped): it is never read back again. */
  release(record: SpooledRecord): Promise<void>
  /** Bytes of the requests not yet released. */
  readonly bytes: () => number
  /** Closes the current segment, and removes it when nothing in it is left to send. */
  close(): Promise<void>
}

interface Segment {
  readonly name: string
  lastSeq: number
}

/**
 * The push's spool: append-only segments of checksummed records in `dir`, one fsync per request, and an `acked`
 * file naming how far every request is settled (written whole by rename). Delivery is oldest first, so that one
 * number says what is done, and a restart sends the rest in the order it was taken. Every operation runs after
 * the one before it has finished.
 * @example const spool = createSpool(nodeOpenDurableFolder, '/var/spool/telemetry', (file) => log.warn('skipped', file))
 */
export function createSpool(
  open: OpenDurableFolder,
  dir: string,
  skipped: (file: SkippedFile) => void,
): Spool {
  let folder: DurableFolder | undefined
  let acked = 0
  let nextSeq = 1
  /** Unsettled requests by sequence, in ascending order: their sizes. */
  const live = new Map<number, number>()
  let liveBytes = 0
  const sealed: Segment[] = []
  let current: (Segment & { file: AppendOnlyFile; size: number }) | undefined
  let queue: Promise<unknown> = Promise.resolve()

  const serially = <T>(operation: () => Promise<T>): Promise<T> => {
    const done = queue.then(operation)
    queue = done.catch(() => undefined)
    return done
  }
  const opened = () => {
    if (folder === undefined) throw new Error(`Cannot use the spool in "${dir}": it was not recovered first`)
    return folder
  }
  const settledUpTo = () => (live.size > 0 ? (live.keys().next().value as number) - 1 : nextSeq - 1)
  const removeSettledSegments = async () => {
    while (sealed.length > 0 && (sealed[0] as Segment).lastSeq <= acked)
      await opened().remove((sealed.shift() as Segment).name)
  }

  return {
    recover: () =>
      serially(async () => {
        folder = await open(dir)
        const names = await folder.list()
        if (names.includes(ACKED)) {
          const text = new TextDecoder().decode(await folder.read(ACKED))
          if (/^\d+\n$/.test(text)) acked = Number(text)
          else
            skipped({
              file: ACKED,
              reason: 'damaged',
              detail: 'not a sequence number: every request is sent',
            })
        }
        const records: SpooledRecord[] = []
        let lastSeq = acked
        // Other files are left alone: the folder may hold what is not the spool's.
        for (const name of names.filter((candidate) => SEGMENT.test(candidate)).sort()) {
          const content = readSegment(await folder.read(name), folder.crc32)
          if (content.foreign) {
            skipped({ file: name, reason: 'foreign', detail: 'not a segment of this spool: left as it is' })
            continue
          }
          if (content.damage !== undefined) skipped({ file: name, reason: 'damaged', detail: content.damage })
          const segment = { name, lastSeq: 0 }
          for (const record of content.records) {
            // A record out of order cannot be sent in order: it is read as damage.
            if (record.seq <= lastSeq && record.seq > acked) continue
            segment.lastSeq = Math.max(segment.lastSeq, record.seq)
            lastSeq = Math.max(lastSeq, record.seq)
            if (record.seq <= acked) continue
            records.push(record)
            live.set(record.seq, record.bytes)
            liveBytes += record.bytes
          }
          sealed.push(segment)
        }
        nextSeq = lastSeq + 1
        await removeSettledSegments()
        return records
      }),

    append: (request) =>
      serially(async () => {
        if (current !== undefined && current.size >= SEGMENT_BYTES) {
          await current.file.close()
          sealed.push({ name: current.name, lastSeq: current.lastSeq })
          current = undefined
        }
        if (current === undefined) {
          const name = segmentName(nextSeq)
          current = { name, lastSeq: 0, file: await opened().openAppend(name), size: 0 }
        }
        const seq = nextSeq++
        const bytes = encodeRecord({ ...request, seq }, opened().crc32)
        await current.file.append(bytes)
        current.size += bytes.length
        current.lastSeq = seq
        live.set(seq, bytes.length)
        liveBytes += bytes.length
        return { ...request, seq, bytes: bytes.length }
      }),

    release: (record) => {
      const size = live.get(record.seq)
      if (size === undefined) return Promise.resolve()
      live.delete(record.seq)
      liveBytes -= size
      return serially(async () => {
        const upTo = settledUpTo()
        if (upTo <= acked) return
        acked = upTo
        await opened().replace(ACKED, new TextEncoder().encode(`${acked}\n`))
        await removeSettledSegments()
      })
    },

    bytes: () => liveBytes,

    close: () =>
      serially(async () => {
        if (current === undefined) return
        await current.file.close()
        if (current.lastSeq <= acked) await opened().remove(current.name)
        else sealed.push({ name: current.name, lastSeq: current.lastSeq })
        current = undefined
      }),
  }
}
