// One HTTP conformance suite, run against real servers started the way the README starts them, on every
// runtime the module supports, and against the edge bundle in Cloudflare's workerd.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { type FakePlausible, startFakePlausible } from '../helpers/fake-plausible/server.ts'
import { freePort } from '../helpers/free-port.ts'
import { mariadbUnavailable, startThrowawayMariaDb, type ThrowawayMariaDb } from '../helpers/mariadb.ts'
import { EXAMPLE_METRICS_FILE, loadSampleSchema } from '../helpers/mesh-objects.ts'
import { NODE_LTS_VERSION, nodeLts, nodeLtsTarget } from '../helpers/node-lts.ts'
import { buildServerBundles } from '../helpers/project.ts'
import { RUNTIMES, type RuntimeTarget } from '../helpers/runtimes.ts'
import { type ServerProcess, startServer } from '../helpers/server-process.ts'
import { until } from '../helpers/until.ts'
import { startWorker } from '../helpers/workerd.ts'
import { actuatorSpec } from './actuator-spec.ts'
import { edgeHealthSpec, HEALTH_ENV, healthSpec } from './health-spec.ts'
import { edgeMetricsSpec, metricsSpec } from './metrics-spec.ts'
import { processSpec } from './process-spec.ts'
import { RELAY_SITE, relaySpec } from './relay-spec.ts'
import { BUILD_ENV, versionSpec } from './version-spec.ts'

const noDatabase = mariadbUnavailable()
let database: ThrowawayMariaDb | undefined
let plausible: FakePlausible
const relayEnv = () => ({
  PLAUSIBLE_ENABLED: 'true',
  PLAUSIBLE_URL: plausible.url,
  PLAUSIBLE_DOMAIN: RELAY_SITE,
})

before(async () => {
  // `npm start` builds first (prestart); do the same so Node runs the current source.
  buildServerBundles()
  plausible = await startFakePlausible({ domain: RELAY_SITE })
  if (noDatabase) return
  database = await startThrowawayMariaDb()
  await loadSampleSchema(database)
})
after(async () => {
  await plausible?.stop()
  await database?.dispose()
})

const requireDatabase = (): ThrowawayMariaDb => database ?? assert.fail('no MariaDB')

// This machine's Node (20), Deno and Bun, and the current Node LTS: `engines` promises both ends.
const lts = nodeLts()
const targets: readonly {
  readonly title: string
  readonly runtime: RuntimeTarget
  readonly skip?: string
}[] = [
  ...RUNTIMES.map((runtime) => ({ title: runtime.name, runtime })),
  {
    title: `Node ${NODE_LTS_VERSION} (LTS)`,
    runtime: 'binary' in lts ? nodeLtsTarget(lts.binary) : (RUNTIMES[0] as RuntimeTarget),
    ...('skip' in lts && { skip: lts.skip }),
  },
]

for (const { title, runtime, skip } of targets) {
  describe(`conformance on ${title}: ${runtime.standalone.join(' ')}`, { skip }, () => {
    let server: ServerProcess
    before(async () => {
      server = await startServer(runtime.standalone, {
        ...BUILD_ENV,
        ...HEALTH_ENV,
        ...relayEnv(),
        PORT: String(await freePort()),
        HOST: '127.0.0.1',
        ...(database && {
          DATABASE_URL: database.url,
          METRICS_SQL_FILE: fileURLToPath(EXAMPLE_METRICS_FILE),
          METRICS_PSEUDONYM_KEY: 'conformance-secret-0123456789abcdef',
        }),
      })
    })
    after(() => server.stop())

    versionSpec(() => server.url)
    actuatorSpec(() => server.url)

    it('logs one JSON line per request with method, route template, status and duration', async () => {
      await fetch(`${server.url}/version`)
      await fetch(`${server.url}/customer/4711`)
      const requests = () => server.logs.filter((entry) => entry.msg === 'request')
      // The server writes a turn's lines together, so a line may come just after its answer.
      await until(() => requests().at(-1)?.route === 'NOT_FOUND', 2000, 'the line of the last request')
      const lastTwo = requests()
        .slice(-2)
        .map(({ method, route, status }) => ({ method, route, status }))
      assert.deepEqual(lastTwo, [
        { method: 'GET', route: '/version', status: 200 },
        { method: 'GET', route: 'NOT_FOUND', status: 404 },
      ])
      assert.ok(
        requests().every((entry) => typeof entry.durationMs === 'number' && typeof entry.time === 'string'),
      )
      assert.ok(!JSON.stringify(server.logs).includes('4711'), 'raw paths never reach the logs')
    })

    describe('health against a real MariaDB', { skip: noDatabase }, () => {
      healthSpec(() => server.url, requireDatabase)
    })

    metricsSpec(() => server.url, database !== undefined)
    relaySpec(
      () => server.url,
      () => plausible,
      { ip: '127.0.0.1' },
    )
    processSpec(runtime, () => database?.url)
  })
}

describe('conformance on workerd (Cloudflare runtime, through miniflare)', () => {
  let worker: Awaited<ReturnType<typeof startWorker>>
  before(async () => {
    worker = await startWorker({ ...BUILD_ENV, ...relayEnv(), LOG_LEVEL: 'silent' })
  })
  after(() => worker.stop())

  versionSpec(() => worker.url)
  actuatorSpec(() => worker.url)
  edgeHealthSpec(() => worker.url)
  edgeMetricsSpec(() => worker.url)
  // No socket address on the edge: Cloudflare names the client in CF-Connecting-IP, which it sets itself.
  relaySpec(
    () => worker.url,
    () => plausible,
    { ip: '203.0.113.5', headers: { 'cf-connecting-ip': '203.0.113.5' } },
  )
})
