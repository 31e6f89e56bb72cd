import type { Context } from 'hono'
import type { EventTransport } from '../relay/client.ts'

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

/** Process figures; a field is undefined where the runtime cannot measure it (never a fake zero). */
export interface ProcessStats {
  readonly cpuSeconds: number | undefined
  readonly residentBytes: number | undefined
  readonly heapUsedBytes: number | undefined
  readonly heapTotalBytes: number | undefined
  readonly uptimeSeconds: number | undefined
  readonly startTimeSeconds: number | undefined
  /** Worst timer drift since the last reading: how long the event loop was blocked. */
  readonly eventLoopLagSeconds: number | undefined
}

/** Host figures, with the same rule. */
export interface HostStats {
  readonly cpuCount: number | undefined
  /** Share of CPU time not idle since the previous reading, 0 to 1. */
  readonly cpuUsage: number | undefined
  readonly loadAverage: readonly [number, number, number] | undefined
  readonly memoryTotalBytes: number | undefined
  readonly memoryFreeBytes: number | undefined
}

export interface SystemProbe {
  diskSpace(path: string): Promise<DiskSpace>
  processStats(): ProcessStats
  hostStats(): HostStats
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
  /** Runs a read-only statement within the client's timeout; rows as objects keyed by column. */
  query(sql: string, signal: AbortSignal, timeoutMs?: number): Promise<Record<string, unknown>[]>
  pool(): PoolStats
  /** How long the last successful validation query took, if there was one. */
  lastValidationSeconds(): number | undefined
  close(): Promise<void>
}

export interface PoolStats {
  readonly active: number
  readonly idle: number
  /** Requests waiting for a connection. */
  readonly pending: number
  readonly max: number
}

export type DatabaseConnector = (settings: DatabaseSettings) => DatabaseClient

/** The remote address of the connection a request came on (not a header a client could write). */
export type ClientAddress = (c: Context) => string | undefined

export interface RuntimeCapabilities {
  readonly system?: SystemProbe
  readonly connectDatabase?: DatabaseConnector
  readonly clientAddress?: ClientAddress
  /** Keeps work running after the response is sent, where the runtime would otherwise stop it (edge). */
  readonly keepRunning?: (c: Context, work: Promise<void>) => void
  /** How the relay sends events, where the runtime has something cheaper than `fetch`. */
  readonly eventTransport?: EventTransport
}
