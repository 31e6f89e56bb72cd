// A frozen MariaDB (its port accepts connections, nobody answers) as a new user met it: a burst of scrapes left
// every later scrape taking 5 s without mysql_up, hundreds of waits queued in the pool and the process growing.
// Here the standalone server, started as the README starts it on each runtime, must keep answering in time with
// what it knows, keep its pool's queue short, and recover by itself once MariaDB answers again.
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { after, before, describe, it } from 'node:test'
import { samplesOf } from '../helpers/exposition.ts'
import { freePort } from '../helpers/free-port.ts'
import { mariadbUnavailable, startThrowawayMariaDb, type ThrowawayMariaDb } from '../helpers/mariadb.ts'
import { buildServerBundles } from '../helpers/project.ts'
import { RUNTIMES } from '../helpers/runtimes.ts'
import { type ServerProcess, startServer } from '../helpers/server-process.ts'
import { until } from '../helpers/until.ts'

/** HEALTH_TIMEOUT_MS's default, which bounds every database call of the module. */
const DATABASE_TIMEOUT_MS = 2000
/** How long a collector may take at scrape (src/metrics/run-collector.ts). */
const COLLECTOR_TIMEOUT_MS = 5000
/**
 * What an answer may take past its timeout: the collector's 100 ms to report after its signal aborts, plus sending
 * and rendering 50 answers at once on a machine whose two cores other test runs share.
 */
const MARGIN_MS = 600
const BURST = 50
/**
 * How much the server may grow over the burst. Nothing should be retained, but 50 answers rendered at once and the
 * garbage they leave lift a runtime's heap before a collection gives it back (JavaScriptCore and V8 both keep freed
 * pages a while); the fault grew the process by 58 MB, with queued waits and hung connections that never went away.
 */
const RSS_GROWTH_BOUND_KB = 40 * 1024

const skip = mariadbUnavailable()

const sampleOf = (text: string, name: string): number | undefined => samplesOf(text, name)[0]?.value

async function timed(url: string): Promise<{ status: number; text: string; ms: number }> {
  const started = performance.now()
  const response = await fetch(url)
  const text = await response.text()
  return { status: response.status, text, ms: performance.now() - started }
}

const rssKb = async (pid: number): Promise<number> =>
  Number(/^VmRSS:\s+(\d+) kB$/m.exec(await readFile(`/proc/${pid}/status`, 'utf8'))?.[1])

/** mysql_up 0 and every pool gauge present, as an alert on them needs. */
function assertReportsDown(text: string, what: string): void {
  assert.equal(sampleOf(text, 'mysql_up'), 0, `${what}: mysql_up 0`)
  for (const gauge of ['active', 'idle', 'pending', 'max'])
    assert.ok(
      sampleOf(text, `db_pool_connections_${gauge}`) !== undefined,
      `${what}: db_pool_connections_${gauge}`,
    )
}

describe('a frozen MariaDB behind the standalone server', { skip }, () => {
  let db: ThrowawayMariaDb
  before(async () => {
    // `npm start` builds first (prestart); do the same so Node runs the current source.
    buildServerBundles()
    db = await startThrowawayMariaDb()
  })
  after(() => db?.dispose())

  for (const runtime of RUNTIMES) {
    describe(`on ${runtime.name}`, () => {
      let server: ServerProcess
      let rssBeforeKb: number
      before(async () => {
        server = await startServer(runtime.standalone, {
          PORT: String(await freePort()),
          HOST: '127.0.0.1',
          DATABASE_URL: db.url,
        })
        // Warm up, so the pool holds an idle connection (the case that hangs on a query) and the runtime has
        // compiled what a scrape runs before its memory is measured.
        for (let round = 0; round < 5; round++) {
          assert.equal(sampleOf((await timed(`${server.url}/actuator/prometheus`)).text, 'mysql_up'), 1)
          await timed(`${server.url}/actuator/health`)
        }
        rssBeforeKb = await rssKb(server.pid)
        await db.freeze()
      })
      after(async () => {
        db.resume()
        await server?.stop()
      })

      it(`answers a burst of ${BURST} concurrent scrapes within the timeout, each with mysql_up 0 and the pool gauges`, async () => {
        const answers = await Promise.all(
          Array.from({ length: BURST }, () => timed(`${server.url}/actuator/prometheus`)),
        )
        const slowest = Math.max(...answers.map((answer) => answer.ms))
        console.log(
          `${runtime.name}: ${BURST} scrapes while frozen, the slowest in ${Math.round(slowest)} ms`,
        )
        for (const [index, answer] of answers.entries()) {
          assert.equal(answer.status, 200)
          assertReportsDown(answer.text, `scrape ${index}`)
        }
        assert.ok(
          slowest < DATABASE_TIMEOUT_MS + MARGIN_MS,
          `the slowest scrape took ${Math.round(slowest)} ms`,
        )
      })

      it('answers later scrapes as fast while MariaDB stays frozen, with at most two waits queued in the pool', async () => {
        for (let scrape = 0; scrape < 4; scrape++) {
          const answer = await timed(`${server.url}/actuator/prometheus`)
          console.log(
            `${runtime.name}: later scrape ${scrape} in ${Math.round(answer.ms)} ms, ${sampleOf(answer.text, 'db_pool_connections_pending')} pending`,
          )
          assertReportsDown(answer.text, `later scrape ${scrape}`)
          assert.ok(
            answer.ms < DATABASE_TIMEOUT_MS + MARGIN_MS,
            `later scrape ${scrape} took ${answer.ms} ms`,
          )
          // One collection in flight and one health check are all the server's own callers: nothing else waits.
          assert.ok(
            Number(sampleOf(answer.text, 'db_pool_connections_pending')) <= 2,
            `${sampleOf(answer.text, 'db_pool_connections_pending')} waits queued`,
          )
        }
      })

      it('answers health DOWN within its timeout while MariaDB stays frozen', async () => {
        const answer = await timed(`${server.url}/actuator/health`)
        assert.equal(answer.status, 503)
        assert.equal(JSON.parse(answer.text).components.db.status, 'DOWN')
        assert.ok(answer.ms < DATABASE_TIMEOUT_MS + MARGIN_MS, `health took ${Math.round(answer.ms)} ms`)
      })

      it(`stays within ${RSS_GROWTH_BOUND_KB / 1024} MB of its resident size before the burst`, async () => {
        const rssAfterKb = await rssKb(server.pid)
        console.log(
          `${runtime.name}: VmRSS ${Math.round(rssBeforeKb / 1024)} MB before the burst, ${Math.round(rssAfterKb / 1024)} MB after`,
        )
        assert.ok(
          rssAfterKb - rssBeforeKb < RSS_GROWTH_BOUND_KB,
          `grew from ${rssBeforeKb} kB to ${rssAfterKb} kB`,
        )
      })

      it('reports mysql_up 1 within three scrapes after MariaDB resumes, and health UP again', async () => {
        db.resume()
        let up: number | undefined
        for (let scrape = 0; scrape < 3 && up !== 1; scrape++)
          up = sampleOf((await timed(`${server.url}/actuator/prometheus`)).text, 'mysql_up')
        assert.equal(up, 1)
        await until(
          async () => (await timed(`${server.url}/actuator/health`)).status === 200,
          5000,
          'health UP again after resuming',
        )
      })
    })
  }

  describe('with a database timeout longer than the collector timeout', () => {
    let server: ServerProcess
    before(async () => {
      server = await startServer(RUNTIMES[0]?.standalone ?? [], {
        PORT: String(await freePort()),
        HOST: '127.0.0.1',
        DATABASE_URL: db.url,
        HEALTH_TIMEOUT_MS: '20000',
      })
      await timed(`${server.url}/actuator/prometheus`)
      await db.freeze()
    })
    after(async () => {
      db.resume()
      await server?.stop()
    })

    it('answers every scrape of a burst within the collector timeout, still with mysql_up 0 and the pool gauges', async () => {
      const answers = await Promise.all(
        Array.from({ length: BURST }, () => timed(`${server.url}/actuator/prometheus`)),
      )
      const slowest = Math.max(...answers.map((answer) => answer.ms))
      console.log(`${BURST} scrapes past the collector timeout, the slowest in ${Math.round(slowest)} ms`)
      for (const [index, answer] of answers.entries()) assertReportsDown(answer.text, `scrape ${index}`)
      assert.match(
        answers[0]?.text ?? '',
        /meshstack_telemetry_collector_success\{application="meshpanel",collector="database"\} 0/,
        'the collector says it timed out',
      )
      assert.ok(
        slowest < COLLECTOR_TIMEOUT_MS + MARGIN_MS,
        `the slowest scrape took ${Math.round(slowest)} ms`,
      )
    })
  })
})
