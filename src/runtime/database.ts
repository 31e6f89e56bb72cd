// The database port: a pooled client for meshStack's MariaDB (src/adapter/shared/mysql-database.ts on Node, Deno and Bun).
import { FailureError } from './failure-error.ts'

export interface DatabaseSettings {
  readonly url: string
  /** Bounds every call, the wait for a pooled connection included: a frozen server must not hang a check. */
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

export interface PoolStats {
  readonly active: number
  readonly idle: number
  /** Requests waiting for a connection. */
  readonly pending: number
  readonly max: number
  /** Requests turned away since the start because too many waited already. */
  readonly rejected: number
}

/** A pooled database client. It rejects with a `DatabaseError`, or with the signal's reason once it aborts. */
export interface DatabaseClient {
  validate(query: string, signal: AbortSignal): Promise<Validation>
  /** Runs a read-only statement within the client's timeout; rows as objects keyed by column. */
  query(sql: string, signal: AbortSignal, timeoutMs?: number): Promise<Record<string, unknown>[]>
  pool(): PoolStats
  /** How long the last successful validation query took, if there was one. */
  lastValidationSeconds(): number | undefined
  close(): Promise<void>
}

export type DatabaseConnector = (settings: DatabaseSettings) => DatabaseClient

/** What went wrong, as a health check or a log line may say it. */
export type DatabaseFailure =
  | 'connection-refused'
  | 'timeout'
  | 'host-not-found'
  | 'connection-lost'
  | 'access-denied'
  | 'unknown-database'
  | 'invalid-query'
  | 'pool-closed'
  | 'pool-queue-full'
  | 'other'

/**
 * A database call failed. The message is the module's own words: the driver's name users and hosts, and a health
 * answer or a log line must not.
 * @example new DatabaseError('connection-refused', 'the database server refused the connection')
 */
export class DatabaseError extends FailureError<DatabaseFailure> {
  override readonly name = 'DatabaseError'
}
