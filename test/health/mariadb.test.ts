import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createTelemetryApp, type TelemetryApp } from '../../src/mod.ts'
import { mariadbUnavailable, startThrowawayMariaDb, type ThrowawayMariaDb } from '../helpers/mariadb.ts'

const TIMEOUT_MS = 1000
const DOCUMENTED_DB = {
  status: 'UP',
  details: { database: 'MariaDB', result: 1, validationQuery: 'SELECT 1' },
}

const skip = mariadbUnavailable()

async function health(app: TelemetryApp, path = '/actuator/health/db') {
  const started = performance.now()
  const response = await app.request(path)
  return { status: response.status, json: JSON.parse(await response.text()), ms: performance.now() - started }
}

/** Polls until the component is UP again, as a monitoring system would. */
async function recovers(app: TelemetryApp, withinMs: number): Promise<number> {
  const started = performance.now()
  for (;;) {
    const { json } = await health(app)
    if (json.status === 'UP') return performance.now() - started
    assert.ok(performance.now() - started < withinMs, `still ${JSON.stringify(json)} after ${withinMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

describe('the db component against a real MariaDB', { skip }, () => {
  let db: ThrowawayMariaDb
  let app: TelemetryApp
  before(async () => {
    db = await startThrowawayMariaDb()
    app = createTelemetryApp({
      logLevel: 'silent',
      database: { url: db.url },
      // No reuse of results here: each request must see the fault it was sent after.
      health: { timeoutMs: TIMEOUT_MS, cacheTtlMs: 0 },
    })
  })
  after(async () => {
    await app?.lifecycle.close()
    await db?.dispose()
  })

  it('returns exactly the documented JSON while MariaDB is up', async () => {
    const root = await health(app, '/actuator/health')
    assert.equal(root.status, 200)
    assert.deepEqual(root.json.components.db, DOCUMENTED_DB)
    assert.equal(JSON.stringify(root.json.components.db), JSON.stringify(DOCUMENTED_DB), 'same key order')
    assert.deepEqual(Object.keys(root.json.components), ['db', 'diskSpace', 'ping'])
  })

  it('returns 503 with a refused connection at once when MariaDB is stopped, and UP after it restarts', async () => {
    await db.stop()
    const down = await health(app)
    assert.equal(down.status, 503)
    assert.deepEqual(down.json, {
      status: 'DOWN',
      details: { error: 'DatabaseError: the database server refused the connection' },
    })
    assert.ok(down.ms < TIMEOUT_MS, `answered in ${down.ms} ms`)
    const root = await health(app, '/actuator/health')
    assert.equal(root.status, 503)
    assert.equal(root.json.status, 'DOWN')
    await db.start()
    await recovers(app, 3000)
  })

  it('returns 503 with a timeout within the timeout when MariaDB is frozen, and UP after it resumes', async () => {
    await health(app) // an idle pooled connection now exists, the case that hangs without a query timeout
    await db.freeze()
    try {
      for (const attempt of ['pooled connection', 'new connection']) {
        const down = await health(app)
        assert.equal(down.status, 503, attempt)
        assert.match(
          down.json.details.error,
          /^(HealthCheckTimeoutError: no answer within|DatabaseError: the database server did not (answer|complete the connection) in time)/,
          attempt,
        )
        assert.ok(down.ms < TIMEOUT_MS + 300, `${attempt}: answered in ${down.ms} ms`)
        await new Promise((resolve) => setTimeout(resolve, 60))
      }
    } finally {
      db.resume()
    }
    await recovers(app, 5000)
  })

  it('recovers without an app restart when MariaDB restarts on the same port', async () => {
    await health(app)
    await db.stop()
    await db.start()
    await recovers(app, 3000)
  })

  it('says the user name or password was rejected, and never shows the password or the host', async () => {
    const url = `mysql://${db.user.name}:wrong-Passw0rd@127.0.0.1:${db.port}/meshstack`
    const wrong = createTelemetryApp({ logLevel: 'silent', database: { url } })
    try {
      const down = await health(wrong)
      assert.equal(down.status, 503)
      assert.ok(down.ms < TIMEOUT_MS, `answered in ${down.ms} ms`)
      assert.deepEqual(down.json, {
        status: 'DOWN',
        details: { error: 'DatabaseError: the database rejected the user name or password' },
      })
      assert.doesNotMatch(JSON.stringify(down.json), /wrong-Passw0rd|127\.0\.0\.1|meshi/)
    } finally {
      await wrong.lifecycle.close()
    }
    const right = createTelemetryApp({
      logLevel: 'silent',
      database: { url: `mysql://${db.user.name}:${db.user.password}@127.0.0.1:${db.port}/meshstack` },
    })
    assert.deepEqual((await health(right)).json, DOCUMENTED_DB)
    await right.lifecycle.close()
  })

  it('says so for a database that does not exist, naming the host only when allowed, and UP once it exists', async () => {
    const unknown = createTelemetryApp({
      logLevel: 'silent',
      database: { url: `mysql://root@127.0.0.1:${db.port}/no_such_db`, showHost: true },
      health: { timeoutMs: TIMEOUT_MS, cacheTtlMs: 0 },
    })
    try {
      const down = await health(unknown)
      assert.equal(down.status, 503)
      assert.deepEqual(down.json, {
        status: 'DOWN',
        details: {
          error: `DatabaseError: the database in DATABASE_URL does not exist (127.0.0.1:${db.port})`,
        },
      })
      assert.ok(down.ms < TIMEOUT_MS, `answered in ${down.ms} ms`)
      await db.query('CREATE DATABASE no_such_db')
      await recovers(unknown, 3000)
    } finally {
      await unknown.lifecycle.close()
    }
  })

  it('sends at most one validation query per cache TTL to MariaDB under a storm of 200 concurrent probes', async () => {
    const ttlMs = 1000
    const stormed = createTelemetryApp({
      logLevel: 'silent',
      database: { url: db.url },
      health: { cacheTtlMs: ttlMs },
    })
    await db.query("SET GLOBAL log_output = 'TABLE'")
    await db.query('TRUNCATE mysql.general_log')
    await db.query("SET GLOBAL general_log = 'ON'")
    try {
      const started = performance.now()
      const rounds = 3
      for (let round = 0; round < rounds; round++) {
        const responses = await Promise.all(
          Array.from({ length: 200 }, () => stormed.request('/actuator/health')),
        )
        assert.ok(responses.every((response) => response.status === 200))
        await new Promise((resolve) => setTimeout(resolve, ttlMs / 2))
      }
      const elapsedMs = performance.now() - started
      await db.query("SET GLOBAL general_log = 'OFF'")
      const [row] = await db.query<{ queries: number }>(
        "SELECT COUNT(*) AS queries FROM mysql.general_log WHERE command_type = 'Query' AND CONVERT(argument USING utf8mb4) = 'SELECT 1'",
      )
      const allowed = Math.ceil(elapsedMs / ttlMs) + 1
      assert.ok(
        Number(row?.queries) >= 1 && Number(row?.queries) <= allowed,
        `${row?.queries} queries in ${elapsedMs} ms`,
      )
      console.log(
        `probe storm: 600 requests in ${Math.round(elapsedMs)} ms sent ${row?.queries} SELECT 1 to MariaDB`,
      )
    } finally {
      await db.query("SET GLOBAL general_log = 'OFF'")
      await stormed.lifecycle.close()
    }
  })
})
