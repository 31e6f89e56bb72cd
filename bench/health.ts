// Health under faults and load, against a throwaway MariaDB and the Node server as `npm start` runs it:
//  1. time to DOWN with a frozen database (median of 5), as a ratio of the configured timeout, for the first
//     request after the cached UP result expired (a caller sees DOWN at most cache TTL + timeout after a freeze);
//  2. validation queries per second reaching MariaDB under a probe storm (64 concurrent clients, 5 s),
//     with the default 1 s cache against the same storm with the cache off (single-flight only).
// Run: npm run bench:health
import { freePort } from '../test/helpers/free-port.ts'
import { startThrowawayMariaDb, type ThrowawayMariaDb } from '../test/helpers/mariadb.ts'
import { documentedCommand } from '../test/helpers/project.ts'
import { startServer } from '../test/helpers/server-process.ts'
import { environmentLine } from './environment.ts'

const TIMEOUT_MS = 2000
const STORM_CLIENTS = 64
const STORM_MS = 5000

console.log(`${environmentLine()}\n`)
const db = await startThrowawayMariaDb()
const serve = async (env: Record<string, string>) =>
  startServer(documentedCommand('package.json', 'start'), {
    PORT: String(await freePort()),
    HOST: '127.0.0.1',
    DATABASE_URL: db.url,
    HEALTH_TIMEOUT_MS: String(TIMEOUT_MS),
    ...env,
  })

async function timeToDown(url: string): Promise<number> {
  const times: number[] = []
  for (let run = 0; run < 5; run++) {
    await db.freeze()
    await new Promise((resolve) => setTimeout(resolve, 1100)) // let the last UP result (1 s cache) expire
    const started = performance.now()
    const response = await fetch(`${url}/actuator/health`)
    times.push(performance.now() - started)
    if (response.status !== 503) throw new Error(`expected 503, got ${response.status}`)
    db.resume()
    while ((await fetch(`${url}/actuator/health`)).status !== 200) await new Promise((r) => setTimeout(r, 50))
  }
  return times.sort((a, b) => a - b)[2] ?? Number.NaN
}

async function storm(
  url: string,
  database: ThrowawayMariaDb,
): Promise<{ requestsPerSecond: number; queriesPerSecond: number }> {
  await database.query("SET GLOBAL log_output = 'TABLE'")
  await database.query('TRUNCATE mysql.general_log')
  await database.query("SET GLOBAL general_log = 'ON'")
  let requests = 0
  const until = performance.now() + STORM_MS
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
    requestsPerSecond: requests / (STORM_MS / 1000),
    queriesPerSecond: Number(row?.queries) / (STORM_MS / 1000),
  }
}

try {
  const cached = await serve({})
  const down = await timeToDown(cached.url)
  const withCache = await storm(cached.url, db)
  await cached.stop()
  const uncached = await serve({ HEALTH_CACHE_TTL_MS: '0' })
  const withoutCache = await storm(uncached.url, db)
  await uncached.stop()

  console.log('| measure | value | reference | ratio |')
  console.log('| --- | --- | --- | --- |')
  console.log(
    `| time to DOWN, frozen MariaDB (median of 5) | ${down.toFixed(0)} ms | timeout ${TIMEOUT_MS} ms | ${(down / TIMEOUT_MS).toFixed(2)} |`,
  )
  console.log(
    `| SELECT 1 per second under a storm of ${STORM_CLIENTS} clients (${withCache.requestsPerSecond.toFixed(0)} req/s) | ${withCache.queriesPerSecond.toFixed(2)} | cache off: ${withoutCache.queriesPerSecond.toFixed(0)} (${withoutCache.requestsPerSecond.toFixed(0)} req/s) | ${(withCache.queriesPerSecond / withoutCache.queriesPerSecond).toFixed(4)} |`,
  )
} finally {
  await db.dispose()
}
