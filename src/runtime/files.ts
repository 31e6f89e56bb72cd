/**
 * Reads a whole text file at once, as the standalone server does before it listens; throws what the runtime throws
 * (with its `code`: `ENOENT` and the like on Node, Deno and Bun alike).
 */
export type ReadTextFileSync = (file: string | URL) => string

/**
 * The `code` a runtime's file error carries (`ENOENT`, `EISDIR`, …), the same on Node, Deno and Bun; undefined for
 * any other error.
 * @example if (fileErrorCode(error) === 'ENOENT') return undefined
 */
export const fileErrorCode = (error: unknown): string | undefined =>
  error instanceof Error && 'code' in error ? String(error.code) : undefined

/**
 * A folder whose files outlive the process: the push's spool. What a write resolves is on disk (synced), so a
 * process killed right after it finds the bytes again when it restarts.
 */
export interface DurableFolder {
  /** The names of the folder's files, in no particular order. */
  list(): Promise<string[]>
  read(name: string): Promise<Uint8Array>
  /** Opens `name` for appending, creating it. */
  openAppend(name: string): Promise<AppendOnlyFile>
  /** Replaces `name` with `bytes` at once: a synced temporary file renamed over it, so it is never half written. */
  replace(name: string, bytes: Uint8Array): Promise<void>
  /** Removes `name`; one that is already gone is no error. */
  remove(name: string): Promise<void>
  /** CRC-32 (IEEE 802.3, zlib's) of `bytes`. */
  crc32(bytes: Uint8Array): number
}

export interface AppendOnlyFile {
  /** Appends `bytes` and resolves once they are synced to disk (fsync). */
  append(bytes: Uint8Array): Promise<void>
  close(): Promise<void>
}

/** Opens the folder at `path`, creating it (and its parents) when missing; throws what the runtime throws. */
export type OpenDurableFolder = (path: string) => Promise<DurableFolder>
