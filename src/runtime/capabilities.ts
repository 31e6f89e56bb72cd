// What the core needs from a runtime beyond Web standards. Node, Deno and Bun provide all of it (src/adapter/);
// an edge runtime provides none, and the features that need it are left out rather than faked.

/** Space on the filesystem holding `path`. */
export interface DiskSpace {
  /** The absolute path that was measured. */
  readonly path: string
  readonly exists: boolean
  readonly totalBytes: number
  /** Space available to this process (not root's reserve). */
  readonly freeBytes: number
}

export interface SystemProbe {
  diskSpace(path: string): Promise<DiskSpace>
}

export interface DatabaseSettings {
  readonly url: string
  /** Bounds connecting and every query: a frozen server must not hang a check. */
  readonly timeoutMs: number
  readonly connectionLimit: number
  /** Whether error messages may name the database host. */
  readonly showHost: boolean
}

/** The validation query's answer. */
export interface Validation {
  /** The server product, from the server's own handshake. */
  readonly product: 'MariaDB' | 'MySQL'
  /** The first column of the first row. */
  readonly result: unknown
}

/**
 * A pooled database client. Its errors carry safe messages (no password, no host unless allowed) and a
 * telling name such as `ConnectionRefusedError`.
 */
export interface DatabaseClient {
  validate(query: string, signal: AbortSignal): Promise<Validation>
  close(): Promise<void>
}

export type DatabaseConnector = (settings: DatabaseSettings) => DatabaseClient

export interface RuntimeCapabilities {
  readonly system?: SystemProbe
  readonly connectDatabase?: DatabaseConnector
}
