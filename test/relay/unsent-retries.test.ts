// Which failed sends the relay tries again, from a server started as the README starts it on each runtime. Plausible
// counts every event it stores (lib/plausible/ingestion/event.ex has no idempotency key), so an event is sent again
// only when the runtime can tell that no byte of it went out: a connection refused, or one that was never made
// within the send's timeout. RFC 9112 §9.3.1 forbids retrying a non-idempotent request otherwise.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { type FakePlausible, startFakePlausible } from '../helpers/fake-plausible/server.ts'
import { buildServerBundles } from '../helpers/project.ts'
import { pageview, postEvent, relayOutcomes, SITE, startRelayServer } from '../helpers/relay-server.ts'
import { RUNTIMES } from '../helpers/runtimes.ts'
import { ACCEPTED, startScriptedServer } from '../helpers/scripted-server.ts'
import type { ServerProcess } from '../helpers/server-process.ts'
import { silentUpstreamUnavailable, startSilentUpstream } from '../helpers/silent-upstream.ts'
import { until } from '../helpers/until.ts'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('sends the relay tries again, and connections it does not reuse', {
  skip: silentUpstreamUnavailable(),
}, () => {
  const servers: ServerProcess[] = []
  const upstreams: FakePlausible[] = []
  before(() => buildServerBundles())
  after(async () => {
    await Promise.all(servers.map((server) => server.stop()))
    await Promise.all(upstreams.map((upstream) => upstream.stop()))
  })

  for (const runtime of RUNTIMES) {
    describe(`on ${runtime.name}`, () => {
      const startRelay = (plausibleUrl: string, env: Record<string, string> = {}) =>
        startRelayServer(runtime, plausibleUrl, servers, env)

      // Node's client (undici) knows whether a request was written to a connection. Deno's and Bun's fetch end a
      // request that is still connecting with the same AbortError as one whose answer is late: they cannot tell, so
      // there the event is counted failed rather than risk counting it twice.
      const tellsUnsent = runtime.name === 'node'
      it(`${tellsUnsent ? 'sends again' : 'counts failed, never twice,'} an event whose connection was not made within the timeout`, async () => {
        const silent = await startSilentUpstream()
        const port = Number(new URL(silent.url).port)
        const server = await startRelay(silent.url, {
          PLAUSIBLE_TIMEOUT_MS: '300',
          PLAUSIBLE_RETRY_WINDOW_MS: '20000',
        })
        const paths = ['/one', '/two', '/three']
        for (const path of paths) assert.equal((await postEvent(server.url, pageview(path))).status, 202)
        // Long enough for every first send to time out while connecting.
        await sleep(1200)
        const during = await relayOutcomes(server.url)
        await silent.stop()
        const plausible = await startFakePlausible({ domain: SITE, port })
        upstreams.push(plausible)

        if (tellsUnsent) {
          assert.equal(
            during.failed,
            undefined,
            `counted ${JSON.stringify(during)} while connecting timed out`,
          )
          const events = await plausible.waitForEvents(paths.length, 15_000)
          assert.deepEqual(
            events.map((event) => new URL(String(event.body.url)).pathname).sort(),
            [...paths].sort(),
          )
          await sleep(500)
          assert.equal(plausible.events.length, paths.length, 'each event once')
          assert.deepEqual(await relayOutcomes(server.url), { forwarded: paths.length })
          const line = server.logs.find((entry) => entry.msg === 'relay send failed')
          assert.equal(line?.reason, 'connect-timeout', JSON.stringify(line))
        } else {
          await until(
            async () => (await relayOutcomes(server.url)).failed === paths.length,
            10_000,
            'every event counted failed',
          )
          await sleep(500)
          assert.equal(plausible.events.length, 0, 'none sent twice')
        }
      })

      it('uses no connection idle past the Keep-Alive hint of the upstream, which may have closed it', async () => {
        // As a server that closes idle connections after 1 s and says so: a request that comes on such a connection
        // just after the server closed it is lost with the connection (Bun's fetch reused it: ECONNRESET).
        let answered = 0
        const upstream = await startScriptedServer((socket, request) => {
          if (request.idleMs > 1000) return void socket.destroy()
          answered++
          socket.write(ACCEPTED.replace('\r\n\r\n', '\r\nkeep-alive: timeout=1\r\n\r\n'))
        })
        try {
          const server = await startRelay(upstream.url)
          for (const path of ['/first', '/after-the-hint', '/and-again']) {
            assert.equal((await postEvent(server.url, pageview(path))).status, 202)
            await sleep(1500)
          }
          assert.deepEqual(await relayOutcomes(server.url), { forwarded: 3 })
          assert.equal(answered, 3)
        } finally {
          await upstream.stop()
        }
      })
    })
  }
})
