// Clients that go away in the middle of their body, or send it a byte at a time, on servers started as the README
// says: neither may look like a server fault (a 5xx, an ERROR line), and neither may hold the relay for long.
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { connect, type Socket } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { samplesOf } from '../helpers/exposition.ts'
import { type FakePlausible, startFakePlausible } from '../helpers/fake-plausible/server.ts'
import { buildServerBundles } from '../helpers/project.ts'
import { BROWSER_UA, pageview, postEvent, relayServerEnv, SITE } from '../helpers/relay-server.ts'
import { RUNTIMES } from '../helpers/runtimes.ts'
import { type ServerProcess, startServer } from '../helpers/server-process.ts'
import { until } from '../helpers/until.ts'

const BODY_TIMEOUT_MS = 1000
// The relay checks its body deadlines a tenth of the timeout apart; the rest is room for a busy machine.
const TIMEOUT_MARGIN_MS = 700
const MANAGEMENT_TOKEN = 'hostile-clients-scrape-token'
// Deno 2.9's own HTTP/1.1 server reads a request's declared body to its end before it closes the connection, whatever
// the handler answered (Connection: close included) and whether or not anything reads the body.
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A raw connection to the server, and everything it answers until it closes. */
async function openConnection(url: string): Promise<{ socket: Socket; received: () => string }> {
  const { hostname, port } = new URL(url)
  const socket = connect(Number(port), hostname)
  let text = ''
  socket.setEncoding('latin1')
  socket.on('data', (chunk: string) => {
    text += chunk
  })
  // Writing to a connection the server has closed fails; what the server answered is what counts.
  socket.on('error', () => {})
  await once(socket, 'connect')
  return { socket, received: () => text }
}

/** A POST to /api/event that announces a 100-byte body, as plausible-tracker's requests look. */
const announce100Bytes = (url: string) =>
  [
    'POST /api/event HTTP/1.1',
    `Host: ${new URL(url).host}`,
    'Content-Type: text/plain',
    `User-Agent: ${BROWSER_UA}`,
    'Content-Length: 100',
    '',
    '',
  ].join('\r\n')

async function scrape(server: ServerProcess): Promise<string> {
  const response = await fetch(`${server.url}/actuator/prometheus`, {
    headers: { authorization: `Bearer ${MANAGEMENT_TOKEN}` },
  })
  assert.equal(response.status, 200)
  return response.text()
}

const relayOutcome = (scraped: string, outcome: string): number =>
  samplesOf(scraped, 'meshstack_relay_events_total', { outcome })[0]?.value ?? 0

/** Requests to /api/event in the HTTP metrics, by status. */
const eventRequests = (scraped: string): Record<string, number> =>
  Object.fromEntries(
    samplesOf(scraped, 'http_server_requests_seconds_count', { method: 'POST', uri: '/api/event' }).map(
      ({ labels, value }) => [labels.status, value],
    ),
  )

describe('clients that abort or trickle their event body, on servers started as the README says', () => {
  let plausible: FakePlausible

  before(async () => {
    // `npm start` builds first (prestart); do the same so Node runs the current source.
    buildServerBundles()
    plausible = await startFakePlausible({ domain: SITE })
  })
  after(() => plausible?.stop())

  for (const runtime of RUNTIMES) {
    describe(`on ${runtime.name}`, () => {
      let server: ServerProcess
      const errorLines = () => server.logs.filter((entry) => entry.level === 'error')

      before(async () => {
        server = await startServer(runtime.standalone, {
          ...(await relayServerEnv(plausible.url)),
          PLAUSIBLE_BODY_TIMEOUT_MS: String(BODY_TIMEOUT_MS),
          MANAGEMENT_TOKEN,
          // Deno.serve has no timeouts of its own: a server that faces hostile clients on Deno turns the front on.
          DENO_CONNECTION_TIMEOUTS: 'true',
        })
      })
      after(() => server?.stop())

      /** Sends the head and 10 of the 100 bytes announced, then leaves as `leave` says. */
      const leaveMidBody = async (leave: (socket: Socket) => void) => {
        const { socket } = await openConnection(server.url)
        socket.write(`${announce100Bytes(server.url)}{"n":"page`)
        // Let the relay start reading the body before the client goes away.
        await sleep(200)
        leave(socket)
      }
      const countedAborted = (count: number) =>
        until(
          async () => relayOutcome(await scrape(server), 'client_aborted') === count,
          5000,
          `client_aborted counted ${count} times`,
        )

      it('counts a client that closes its connection in the middle of the body as client_aborted, not as a 5xx or an error', async () => {
        await leaveMidBody((socket) => socket.end())
        await countedAborted(1)
        assert.deepEqual(eventRequests(await scrape(server)), { '400': 1 })
        assert.deepEqual(errorLines(), [])
        assert.equal(server.stderr(), '')
      })

      it('counts a client that resets its connection in the middle of the body the same way', async () => {
        await leaveMidBody((socket) => socket.resetAndDestroy())
        await countedAborted(2)
        assert.deepEqual(eventRequests(await scrape(server)), { '400': 2 })
        assert.deepEqual(errorLines(), [])
        assert.equal(server.stderr(), '')
      })

      // The trickling client of the next two specs: it keeps sending until the server closes its connection.
      let trickling: { socket: Socket; received: () => string; stop: () => void } | undefined
      after(() => trickling?.stop())

      it(`answers a body that trickles in a byte every 500 ms with 408 within ${BODY_TIMEOUT_MS} ms (PLAUSIBLE_BODY_TIMEOUT_MS)`, async () => {
        const { socket, received } = await openConnection(server.url)
        const started = performance.now()
        socket.write(announce100Bytes(server.url))
        const trickle = setInterval(() => socket.write('x'), 500)
        const stop = () => {
          clearInterval(trickle)
          socket.destroy()
        }
        trickling = { socket, received, stop }
        await until(() => received().includes('\r\n\r\n{'), BODY_TIMEOUT_MS + TIMEOUT_MARGIN_MS, 'an answer')
        const answeredAfter = performance.now() - started
        assert.ok(
          answeredAfter >= BODY_TIMEOUT_MS - 50,
          `answered after ${answeredAfter} ms, before the timeout`,
        )
        const [head = '', body = ''] = received().split('\r\n\r\n')
        assert.match(head, /^HTTP\/1\.1 408 /)
        assert.match(head, /\r\nconnection: close\r\n/i)
        assert.match(head, /\r\ncontent-type: application\/problem\+json\r\n/i)
        assert.deepEqual(JSON.parse(body), {
          type: 'about:blank',
          title: 'Body too slow',
          status: 408,
          detail: `The whole body must arrive within ${BODY_TIMEOUT_MS} ms`,
        })
        const scraped = await scrape(server)
        assert.equal(relayOutcome(scraped, 'client_timeout'), 1)
        assert.deepEqual(eventRequests(scraped), { '400': 2, '408': 1 })
        assert.deepEqual(errorLines(), [])
      })

      it('closes the trickling connection after the 408 instead of reading the rest of its body', async () => {
        const socket = trickling?.socket ?? assert.fail('no trickling connection')
        try {
          await until(() => socket.readableEnded, 1000, 'the server closing the connection')
        } finally {
          trickling?.stop()
        }
      })

      it('still accepts and forwards a normal event afterwards', async () => {
        const path = `/after-hostile-clients-on-${runtime.name}`
        const arrived = plausible.events.length
        const response = await postEvent(server.url, pageview(path))
        assert.equal(response.status, 202)
        const events = await plausible.waitForEvents(arrived + 1)
        assert.equal(events.at(-1)?.body.url, `https://${SITE}${path}`)
        assert.deepEqual(eventRequests(await scrape(server)), { '202': 1, '400': 2, '408': 1 })
        assert.deepEqual(errorLines(), [])
      })
    })
  }
})
