// The database port (src/runtime/database.ts) as mysql2's pool keeps it, against a throwaway MariaDB frozen with
// SIGSTOP: the port accepts connections and nobody answers, the fault that hangs a client without timeouts.
import assert from 'node:assert/strict'
import { after, afterEach, before, describe, it } from 'node:test'
import { connectMysql, POOL_QUEUE_LIMIT } from '../../src/adapter/shared/mysql-database.ts'
import { type DatabaseClient, DatabaseError, type DatabaseSettings } from '../../src/runtime/database.ts'
import { mariadbUnavailable, startThrowawayMariaDb, type ThrowawayMariaDb } from '../helpers/mariadb.ts'
import { until } from '../helpers/until.ts'

const TIMEOUT_MS = 1000
/** Timers firing late on a machine other test runs share. */
const MARGIN_MS = 300
/** A call that must end by itself rather than hang fails the test after this long instead. */
const HANG = { timeout: 10_000 }
const NEVER = new AbortController().signal

const skip = mariadbUnavailable()

/** How a call ended (the failure of a `DatabaseError`, the reason's name otherwise) and after how long. */
async function outcome(call: Promise<unknown>): Promise<{ ended: string; ms: number }> {
  const started = performance.now()
  const ended = await call.then(
    () => 'answered',
    (error: unknown) => (error instanceof DatabaseError ? error.failure : String((error as Error)?.name)),
  )
  return { ended, ms: performance.now() - started }
}

describe('the mysql2 pool against a frozen MariaDB', { skip }, () => {
  let db: ThrowawayMariaDb
  const clients: DatabaseClient[] = []
  /** A client with one connection, so a second caller has to wait for it. */
  const connect = (settings: Partial<DatabaseSettings> = {}): DatabaseClient => {
    const client = connectMysql({
      url: db.url,
      timeoutMs: TIMEOUT_MS,
      connectionLimit: 1,
      showHost: false,
      ...settings,
    })
    clients.push(client)
    return client
  }
  before(async () => {
    db = await startThrowawayMariaDb()
  })
  // A test that failed by hanging never reached its own resume.
  afterEach(() => db.resume())
  after(async () => {
    for (const client of clients) await client.close()
    await db?.dispose()
  })

  it('fails a query within the timeout, and the next one on the same pool too', HANG, async () => {
    const client = connect()
    await client.query('SELECT 1', NEVER) // the pooled connection now exists, idle
    await db.freeze()
    try {
      for (const attempt of ['first', 'next']) {
        const { ended, ms } = await outcome(client.query('SELECT 1', NEVER))
        assert.equal(ended, 'timeout', attempt)
        assert.ok(ms < TIMEOUT_MS + MARGIN_MS, `${attempt} query ended after ${Math.round(ms)} ms`)
      }
    } finally {
      db.resume()
    }
    assert.deepEqual(await client.query('SELECT 1 AS one', NEVER), [{ one: 1 }])
  })

  it(
    'bounds a call by the timeout while it waits for a connection, not only while it queries',
    HANG,
    async () => {
      const client = connect()
      await client.query('SELECT 1', NEVER)
      await db.freeze()
      try {
        const holding = outcome(client.query('SELECT 1', NEVER))
        const { ended, ms } = await outcome(client.query('SELECT 2', NEVER))
        assert.equal(ended, 'timeout')
        assert.ok(ms < TIMEOUT_MS + MARGIN_MS, `the waiting call ended after ${Math.round(ms)} ms`)
        await holding
      } finally {
        db.resume()
      }
    },
  )

  it(
    'stops waiting for a connection the moment its caller gives up, and releases one that comes later',
    HANG,
    async () => {
      const client = connect({ timeoutMs: 5000 })
      await client.query('SELECT 1', NEVER)
      await db.freeze()
      const holding = outcome(client.query('SELECT SLEEP(0)', NEVER))
      const caller = new AbortController()
      const waiting = outcome(client.query('SELECT 1', caller.signal))
      await until(() => client.pool().pending === 1, 1000, 'the second call waits for the connection')
      const gaveUp = performance.now()
      caller.abort(new Error('the scrape gave up'))
      const { ended } = await waiting
      const ms = performance.now() - gaveUp
      assert.equal(ended, 'Error', 'rejects with the reason the caller gave')
      assert.ok(ms < 50, `ended ${Math.round(ms)} ms after its caller gave up`)
      // mysql2 cannot withdraw a waiter: it gets the connection once the first call is done with it, and hands it back.
      db.resume()
      await holding
      await until(
        () => client.pool().active === 0 && client.pool().pending === 0,
        2000,
        () => `the connection released: ${JSON.stringify(client.pool())}`,
      )
    },
  )

  it(
    `turns away calls past ${POOL_QUEUE_LIMIT} waiting at once, saying why, and counts them`,
    HANG,
    async () => {
      const client = connect({ timeoutMs: 5000 })
      await client.query('SELECT 1', NEVER)
      await db.freeze()
      const calls = Array.from({ length: 1 + POOL_QUEUE_LIMIT + 3 }, () =>
        outcome(client.query('SELECT 1', NEVER)),
      )
      const turnedAway = await Promise.all(calls.slice(-3))
      assert.deepEqual(
        turnedAway.map(({ ended }) => ended),
        ['pool-queue-full', 'pool-queue-full', 'pool-queue-full'],
      )
      assert.ok(Math.max(...turnedAway.map(({ ms }) => ms)) < 50, 'at once')
      assert.deepEqual(
        { pending: client.pool().pending, rejected: client.pool().rejected },
        { pending: POOL_QUEUE_LIMIT, rejected: 3 },
      )
      db.resume()
      const served = await Promise.all(calls.slice(0, -3))
      assert.deepEqual(new Set(served.map(({ ended }) => ended)), new Set(['answered']))
    },
  )
})
