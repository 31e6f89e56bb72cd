import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  makeTestCertificates,
  opensslUnavailable,
  type TestCertificates,
  TRUST_VARIABLE,
} from '../helpers/certificates.ts'
import { type FakePlausible, startFakePlausible } from '../helpers/fake-plausible/server.ts'
import { freePort } from '../helpers/free-port.ts'
import { buildServerBundles } from '../helpers/project.ts'
import { BROWSER_UA, pageview, postEvent, relayOutcomes, SITE } from '../helpers/relay-server.ts'
import { RUNTIMES } from '../helpers/runtimes.ts'
import { type ServerProcess, startServer } from '../helpers/server-process.ts'
import { until } from '../helpers/until.ts'

describe('forwarding to Plausible over HTTPS, as a real Plausible is reached', {
  skip: opensslUnavailable(),
}, () => {
  let certificates: TestCertificates
  let plausible: FakePlausible
  const servers: ServerProcess[] = []
  const startRelay = async (command: readonly string[], env: Record<string, string> = {}) => {
    const server = await startServer(command, {
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      PLAUSIBLE_ENABLED: 'true',
      PLAUSIBLE_URL: plausible.url,
      PLAUSIBLE_DOMAIN: SITE,
      ...env,
    })
    servers.push(server)
    return server
  }
  const send = (server: ServerProcess, path: string) => postEvent(server.url, pageview(path))

  before(async () => {
    // `npm start` builds first (prestart); do the same so Node runs the current source.
    buildServerBundles()
    certificates = makeTestCertificates()
    plausible = await startFakePlausible({ domain: SITE, tls: certificates.server })
  })
  after(async () => {
    await Promise.all(servers.map((server) => server.stop()))
    await plausible?.stop()
    certificates?.dispose()
  })

  for (const runtime of RUNTIMES) {
    it(`relays a page view over HTTPS on ${runtime.name}, verifying the certificate`, async () => {
      const server = await startRelay(runtime.standalone, {
        [TRUST_VARIABLE[runtime.name]]: certificates.caFile,
      })
      const received = plausible.events.length
      assert.equal((await send(server, `/over-tls-on-${runtime.name}`)).status, 202)
      const event = (await plausible.waitForEvents(received + 1)).at(-1)
      assert.equal(event?.body.url, `https://${SITE}/over-tls-on-${runtime.name}`)
      assert.equal(event?.userAgent, BROWSER_UA)
      assert.deepEqual(event?.violations, [])
    })
  }

  it('sends nothing to a server whose certificate it cannot verify, and counts the event failed', async () => {
    const [node] = RUNTIMES
    const server = await startRelay(node?.standalone ?? [])
    const received = plausible.events.length
    assert.equal((await send(server, '/untrusted')).status, 202)
    await until(async () => (await relayOutcomes(server.url)).failed === 1, 5000, 'the event counted failed')
    assert.equal(plausible.events.length, received)
  })
})
