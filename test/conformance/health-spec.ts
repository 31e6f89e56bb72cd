import assert from 'node:assert/strict'
import { it } from 'node:test'
import type { ThrowawayMariaDb } from '../helpers/mariadb.ts'

/** Settings every server under test gets, so a frozen database shows within a second. */
export const HEALTH_ENV = { HEALTH_TIMEOUT_MS: '1000', HEALTH_CACHE_TTL_MS: '0' }
const DOCUMENTED_DB = {
  status: 'UP',
  details: { database: 'MariaDB', result: 1, validationQuery: 'SELECT 1' },
}

const get = async (url: string) => {
  const started = performance.now()
  const response = await fetch(url)
  return { status: response.status, json: JSON.parse(await response.text()), ms: performance.now() - started }
}

/** The health contract against a real MariaDB: documented JSON, a frozen database, recovery. */
export function healthSpec(baseUrl: () => string, database: () => ThrowawayMariaDb): void {
  it('answers /actuator/health with the documented db component, plus diskSpace and ping', async () => {
    const { status, json } = await get(`${baseUrl()}/actuator/health`)
    assert.equal(status, 200)
    assert.equal(JSON.stringify(json.components.db), JSON.stringify(DOCUMENTED_DB))
    assert.deepEqual(Object.keys(json.components), ['db', 'diskSpace', 'ping'])
    assert.equal(json.components.diskSpace.status, 'UP')
    assert.deepEqual((await get(`${baseUrl()}/actuator/health/readiness`)).json.components.db, DOCUMENTED_DB)
  })

  it('answers 503 DOWN within the timeout while MariaDB is frozen, liveness stays UP, and UP again after', async () => {
    await database().freeze()
    try {
      const down = await get(`${baseUrl()}/actuator/health`)
      assert.equal(down.status, 503)
      assert.equal(down.json.status, 'DOWN')
      assert.match(
        down.json.components.db.details.error,
        /^(HealthCheckTimeoutError: no answer within|DatabaseError: the database server did not (answer|complete the connection) in time)/,
      )
      assert.ok(down.ms < 1500, `DOWN after ${Math.round(down.ms)} ms`)
      assert.equal((await get(`${baseUrl()}/actuator/health/readiness`)).status, 503)
      assert.equal((await get(`${baseUrl()}/actuator/health/liveness`)).status, 200)
    } finally {
      database().resume()
    }
    const deadline = performance.now() + 5000
    while ((await get(`${baseUrl()}/actuator/health`)).status !== 200) {
      assert.ok(performance.now() < deadline, 'UP again within 5 s of resuming')
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  })
}

/** What an edge runtime has: no database driver and no filesystem, so only ping, and no fake zeros. */
export function edgeHealthSpec(baseUrl: () => string): void {
  it('answers /actuator/health with ping only, and the probe groups', async () => {
    assert.deepEqual((await get(`${baseUrl()}/actuator/health`)).json, {
      status: 'UP',
      components: { ping: { status: 'UP' } },
      groups: ['liveness', 'readiness'],
    })
    assert.equal((await get(`${baseUrl()}/actuator/health/readiness`)).status, 200)
    assert.equal((await get(`${baseUrl()}/actuator/health/liveness`)).status, 200)
  })
}
