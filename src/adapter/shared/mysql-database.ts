import { createPool, type PoolConnection, type RowDataPacket } from 'mysql2/promise'
import { unlessAborted, withTimeout } from '../../deadline.ts'
import {
  type DatabaseClient,
  type DatabaseConnector,
  DatabaseError,
  type DatabaseFailure,
  type DatabaseSettings,
  type Validation,
} from '../../runtime/database.ts'

// Our own words for the driver's failures: the driver's messages name users, hosts and ports.
const FAILURES: Readonly<Record<string, readonly [DatabaseFailure, string]>> = {
  ECONNREFUSED: ['connection-refused', 'the database server refused the connection'],
  ETIMEDOUT: ['timeout', 'the database server did not complete the connection in time'],
  ENOTFOUND: ['host-not-found', 'the database host name does not resolve'],
  EAI_AGAIN: ['host-not-found', 'the database host name does not resolve'],
  ECONNRESET: ['connection-lost', 'the database server closed the connection'],
  EPIPE: ['connection-lost', 'the database server closed the connection'],
  PROTOCOL_CONNECTION_LOST: ['connection-lost', 'the database server closed the connection'],
  ER_ACCESS_DENIED_ERROR: ['access-denied', 'the database rejected the user name or password'],
  ER_DBACCESS_DENIED_ERROR: ['access-denied', 'the database user may not use the database in DATABASE_URL'],
  ER_BAD_DB_ERROR: ['unknown-database', 'the database in DATABASE_URL does not exist'],
  ER_PARSE_ERROR: ['invalid-query', 'the query is not valid SQL'],
  POOL_CLOSED: ['pool-closed', 'the connection pool is closed'],
  POOL_QUEUE_FULL: ['pool-queue-full', 'too many requests wait for a database connection already'],
}
// mysql2's pool gives its own errors no code, only these messages.
const POOL_ERRORS: Readonly<Record<string, string>> = {
  'Pool is closed.': 'POOL_CLOSED',
  'Queue limit reached.': 'POOL_QUEUE_FULL',
}

/**
 * Most requests that wait for a connection; more are turned away at once. The module's own callers are few and
 * single-flight (one scrape's database collector, one health check, one refresh per SQL metric), so a queue this
 * long means the database is not answering, and a longer one would only hold memory and answer late.
 */
export const POOL_QUEUE_LIMIT = 100

const CLOSE_DEADLINE_MS = 2000

function safeError(error: unknown, settings: DatabaseSettings): DatabaseError {
  const code =
    error instanceof Error ? ('code' in error ? String(error.code) : POOL_ERRORS[error.message]) : undefined
  const [failure, message] = FAILURES[code ?? ''] ?? [
    'other',
    `the database failed with ${code ?? 'an error'}`,
  ]
  return withHost(failure, message, settings)
}

function withHost(failure: DatabaseFailure, message: string, settings: DatabaseSettings): DatabaseError {
  const { hostname, port } = new URL(settings.url)
  return new DatabaseError(failure, settings.showHost ? `${message} (${hostname}:${port || 3306})` : message)
}

/** The product named in the server's handshake, so knowing it costs no query. */
function productOf(connection: PoolConnection): Validation['product'] {
  // mysql2 keeps the handshake on the core connection; its public API does not expose the server version.
  const core = connection.connection as unknown as { _handshakePacket?: { serverVersion?: string } }
  return /mariadb/i.test(core._handshakePacket?.serverVersion ?? '') ? 'MariaDB' : 'MySQL'
}

/**
 * A mysql2 pool, created once, that never hangs: every call, the wait for a connection included, ends within its
 * timeout or when its caller gives up (a query on a frozen server would otherwise wait forever). Dead connections are
 * dropped by the pool, so it recovers by itself when the server comes back.
 */
export const connectMysql: DatabaseConnector = (settings): DatabaseClient => {
  const pool = createPool({
    uri: settings.url.replace(/^mariadb:/, 'mysql:'),
    connectionLimit: settings.connectionLimit,
    maxIdle: settings.connectionLimit,
    idleTimeout: 60_000,
    connectTimeout: settings.timeoutMs,
    queueLimit: POOL_QUEUE_LIMIT,
    enableKeepAlive: true,
  })
  // Errors on idle connections (server restarted) are handled by the pool dropping them; don't crash.
  pool.pool.on('error', () => {})
  let rejected = 0

  /** Runs `work` on a pooled connection within `timeoutMs`; errors become safe ones, the caller's reason stays. */
  const withConnection = async <T>(
    signal: AbortSignal,
    timeoutMs: number,
    work: (connection: PoolConnection) => Promise<T>,
  ): Promise<T> => {
    const deadline = withTimeout(signal, timeoutMs)
    try {
      // mysql2 cannot withdraw a waiter from its queue: a connection it gets after its caller gave up goes back.
      const connection = await unlessAborted(pool.getConnection(), deadline.signal, (late) => late.release())
      try {
        const result = await unlessAborted(work(connection), deadline.signal, () => {})
        connection.release()
        return result
      } catch (error) {
        // mysql2 cannot cancel a query (its own query timeout answers the caller and leaves the query running), and
        // any later query would queue behind it: a connection whose query did not succeed is closed, never reused.
        connection.destroy()
        throw error
      }
    } catch (error) {
      if (signal.aborted && error === signal.reason) throw error
      if (error === deadline.signal.reason)
        throw withHost('timeout', 'the database server did not answer in time', settings)
      const safe = safeError(error, settings)
      if (safe.failure === 'pool-queue-full') rejected++
      throw safe
    } finally {
      deadline.clear()
    }
  }
  let lastValidationSeconds: number | undefined
  // mysql2 keeps its pool's bookkeeping in fields its types do not declare.
  const internals = pool.pool as unknown as Record<
    '_allConnections' | '_freeConnections' | '_connectionQueue',
    { length: number }
  >

  return {
    validate: (query, signal) =>
      withConnection(signal, settings.timeoutMs, async (connection) => {
        const started = performance.now()
        const [rows] = await connection.query<RowDataPacket[]>({ sql: query, rowsAsArray: true })
        lastValidationSeconds = (performance.now() - started) / 1000
        const firstRow = rows[0] as unknown[] | undefined
        return { product: productOf(connection), result: firstRow?.[0] ?? null }
      }),
    query: (sql, signal, timeoutMs = settings.timeoutMs) =>
      withConnection(signal, timeoutMs, async (connection) => {
        const [rows] = await connection.query<RowDataPacket[]>(sql)
        return rows as Record<string, unknown>[]
      }),
    pool: () => {
      const all = internals._allConnections.length
      const idle = internals._freeConnections.length
      return {
        active: all - idle,
        idle,
        pending: internals._connectionQueue.length,
        max: settings.connectionLimit,
        rejected,
      }
    },
    lastValidationSeconds: () => lastValidationSeconds,
    async close() {
      let timer: ReturnType<typeof setTimeout> | undefined
      const deadline = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, CLOSE_DEADLINE_MS)
      })
      // A frozen server never answers the goodbye; don't let it hold up the exit.
      await Promise.race([pool.end().catch(() => {}), deadline])
      clearTimeout(timer)
    },
  }
}
