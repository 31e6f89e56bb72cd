// `npm start` runs the Node server as one esbuild bundle; a production image holds that bundle and the production
// dependencies only (README, "For a production image on Node"). This starts the bundle from such a folder.
import assert from 'node:assert/strict'
import { cp, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { type FakePlausible, startFakePlausible } from '../helpers/fake-plausible/server.ts'
import { freePort } from '../helpers/free-port.ts'
import { mariadbUnavailable, startThrowawayMariaDb, type ThrowawayMariaDb } from '../helpers/mariadb.ts'
import { buildServerBundles, PROJECT_ROOT } from '../helpers/project.ts'
import { pageview, postEvent, SITE } from '../helpers/relay-server.ts'
import { type ServerProcess, startServer } from '../helpers/server-process.ts'

// What the bundle leaves outside, loaded the first time the database is asked or an event is sent.
const OUTSIDE_THE_BUNDLE = ['mysql2', 'undici']

describe('the Node server bundle (`npm run build:server`, what `npm start` runs)', {
  skip: mariadbUnavailable(),
}, () => {
  let image: string
  let database: ThrowawayMariaDb
  let plausible: FakePlausible
  let server: ServerProcess

  before(async () => {
    buildServerBundles()
    image = await mkdtemp(join(tmpdir(), 'server-image-'))
    await cp(`${PROJECT_ROOT}dist/server`, join(image, 'dist/server'), { recursive: true })
    await cp(`${PROJECT_ROOT}package.json`, join(image, 'package.json'))
    await mkdir(join(image, 'node_modules'))
    for (const name of OUTSIDE_THE_BUNDLE)
      await symlink(`${PROJECT_ROOT}node_modules/${name}`, join(image, 'node_modules', name))
    database = await startThrowawayMariaDb()
    plausible = await startFakePlausible({ domain: SITE })
    server = await startServer(['node', join(image, 'dist/server/node.js')], {
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      DATABASE_URL: database.url,
      PLAUSIBLE_ENABLED: 'true',
      PLAUSIBLE_URL: plausible.url,
      PLAUSIBLE_DOMAIN: SITE,
    })
  })

  after(async () => {
    await server?.stop()
    await plausible?.stop()
    await database?.dispose()
    if (image) await rm(image, { recursive: true, force: true })
  })

  it('serves from a folder holding the bundle, package.json, and only the dependencies it leaves outside', async () => {
    const version = await (await fetch(`${server.url}/version`)).json()
    assert.deepEqual(version, { package: '7.7.7', git: 'unknown', branch: 'unknown' })
  })

  it('loads mysql2 from beside the bundle for the database component', async () => {
    const health = await (await fetch(`${server.url}/actuator/health`)).json()
    assert.equal(health.components.db.status, 'UP')
  })

  it('loads undici from beside the bundle to forward an event to Plausible', async () => {
    assert.equal((await postEvent(server.url, pageview('/dashboard'))).status, 202)
    const [event] = await plausible.waitForEvents(1)
    assert.equal(event?.body.name, 'pageview')
  })
})
