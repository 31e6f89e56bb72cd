// Health under faults and load, against a throwaway MariaDB and the Node server as `npm start` runs it (dist/:
// build it first):
//  1. time to DOWN with a frozen database, as a ratio of the configured timeout, for the first request after the
//     cached UP result expired (a caller sees DOWN at most cache TTL + timeout after a freeze);
//  2. validation queries per second reaching MariaDB under a probe storm (64 concurrent clients), with the default
//     1 s cache against the same storm with the cache off (single-flight only).
import { freePort } from '../../test/helpers/free-port.ts'
import { startThrowawayMariaDb, type ThrowawayMariaDb } from '../../test/helpers/mariadb.ts'
import { documentedCommand } from '../../test/helpers/project.ts'
import { startServer } from '../../test/helpers/server-process.ts'
import { median } from '../statistics.ts'

export interface HealthSettings {
  /** Freezes for the time to DOWN; the median is taken. */
  readonly downRuns: number
  readonly stormMs: number
}

export const FULL: HealthSettings = { downRuns: 5, stormMs: 5000 }
export const QUICK: HealthSettings = { downRuns: 1, stormMs: 2000 }
export const TIMEOUT_MS = 2000
export const STORM_CLIENTS = 64

export interface Storm {
  readonly requestsPerSecond: number
  readonly queriesPerSecond: number
}

export interface HealthResult {
  readonly settings: HealthSettings
  /** Median time to DOWN, ms. */
  readonly downMs: number
  readonly withCache: Storm
  readonly withoutCache: Storm
}

async function timeToDown(url: string, db: ThrowawayMariaDb, runs: number): Promise<number> {
  const times: number[] = []
  for (let run = 0; run < runs; run++) {
    await db.freeze()
    await new Promise((resolve) => setTimeout(resolve, 1100)) // let the last UP result (1 s cache) expire
    const started = performance.now()
    const response = await fetch(`${url}/actuator/health`)
    times.push(performance.now() - started)
    if (response.status !== 503) throw new Error(`expected 503, got ${response.status}`)
    db.resume()
    while ((await fetch(`${url}/actuator/health`)).status !== 200) await new Promise((r) => setTimeout(r, 50))
  }
  return median(times)
}

async function storm(url: string, database: ThrowawayMariaDb, stormMs: number): Promise<Storm> {
  await database.query("SET GLOBAL log_output = 'TABLE'")
  await database.query('TRUNCATE mysql.general_log')
  await database.query("SET GLOBAL general_log = 'ON'")
  let requests = 0
  const until = performance.now() + stormMs
  await Promise.all(
    Array.from({ length: STORM_CLIENTS }, async () => {
      while (performance.now() < until) {
        await (await fetch(`${url}/actuator/health`)).arrayBuffer()
        requests++
      }
    }),
  )
  await database.query("SET GLOBAL general_log = 'OFF'")
  const [row] = await database.query<{ queries: number }>(
    "SELECT COUNT(*) AS queries FROM mysql.general_log WHERE command_type = 'Query' AND CONVERT(argument USING utf8mb4) = 'SELECT 1'",
  )
  return {
    requestsPerSecond: requests / (stormMs / 1000),
    queriesPerSecond: Number(row?.queries) / (stormMs / 1000),
  }
}

/**
 * Runs both measures against one throwaway MariaDB.
 * @example const result = await measureHealth(FULL)
 */
export async function measureHealth(settings: HealthSettings): Promise<HealthResult> {
  const db = await startThrowawayMariaDb()
  const serve = async (env: Record<string, string>) =>
    startServer(documentedCommand('package.json', 'start'), {
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      DATABASE_URL: db.url,
      HEALTH_TIMEOUT_MS: String(TIMEOUT_MS),
      ...env,
    })
  try {
    const cached = await serve({})
    const downMs = await timeToDown(cached.url, db, settings.downRuns)
    const withCache = await storm(cached.url, db, settings.stormMs)
    await cached.stop()
    const uncached = await serve({ HEALTH_CACHE_TTL_MS: '0' })
    const withoutCache = await storm(uncached.url, db, settings.stormMs)
    await uncached.stop()
    return { settings, downMs, withCache, withoutCache }
  } finally {
    await db.dispose()
  }
}
