// Shutdown with events still queued for a slow Plausible, on a server started as the README starts it: the whole of
// it ends within SHUTDOWN_TIMEOUT_MS, and every event Plausible did not take is counted in the log.
import assert from 'node:assert/strict'
import { connect, type Socket } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { type FakePlausible, startFakePlausible } from '../helpers/fake-plausible/server.ts'
import { freePort } from '../helpers/free-port.ts'
import { buildServerBundles } from '../helpers/project.ts'
import { BROWSER_UA, pageview, postEvent, SITE } from '../helpers/relay-server.ts'
import { RUNTIMES } from '../helpers/runtimes.ts'
import { type ServerProcess, startServer } from '../helpers/server-process.ts'

const SHUTDOWN_TIMEOUT_MS = 2000
/** What a runtime needs past the deadline to write its last lines and exit, on a busy two-core machine. */
const EXIT_MARGIN_MS = 500
const EVENTS = 100
/**
 * Plausible answers each event this late: the first 16 (PLAUSIBLE_CONCURRENCY) are answered within the deadline,
 * the next 16 are in flight when it ends (0.5 s and more from either edge), the rest still queued.
 */
const ANSWER_DELAY_MS = 1500

/** Sends the events at once and resolves with how many the relay accepted (202). */
async function queueEvents(server: ServerProcess): Promise<number> {
  const statuses = await Promise.all(
    Array.from({ length: EVENTS }, (_, index) =>
      postEvent(server.url, pageview(`/page-${index}`)).then((response) => response.status),
    ),
  )
  return statuses.filter((status) => status === 202).length
}

/** Sends SIGTERM and resolves with the exit code and how long the server took to exit. */
async function terminate(server: ServerProcess): Promise<{ code: number | null; tookMs: number }> {
  const started = performance.now()
  const code = await server.stop('SIGTERM')
  return { code, tookMs: performance.now() - started }
}

/** A request whose body never finishes arriving: the server cannot close until the deadline cuts it off. */
async function holdRequestOpen(server: ServerProcess): Promise<Socket> {
  const { hostname, port } = new URL(server.url)
  const socket = connect(Number(port), hostname)
  socket.on('error', () => {})
  socket.write(
    [
      'POST /api/event HTTP/1.1',
      `Host: ${hostname}:${port}`,
      'Content-Type: text/plain',
      `User-Agent: ${BROWSER_UA}`,
      'Content-Length: 200',
      '',
      '{"n":"pageview",',
    ].join('\r\n'),
  )
  // Long enough for every runtime to have parsed the head and started the request.
  await new Promise((resolve) => setTimeout(resolve, 300))
  return socket
}

describe('shutdown with events queued for a slow Plausible', () => {
  let plausible: FakePlausible
  const servers: ServerProcess[] = []

  before(async () => {
    // `npm start` builds first (prestart); do the same so Node runs the current source.
    buildServerBundles()
  })
  after(async () => {
    await Promise.all(servers.map((server) => server.stop('SIGKILL')))
  })

  for (const runtime of RUNTIMES) {
    describe(`on ${runtime.name}`, () => {
      const startRelay = async () => {
        plausible = await startFakePlausible({ domain: SITE })
        plausible.replyWith({ delayMs: ANSWER_DELAY_MS })
        const server = await startServer(runtime.standalone, {
          PORT: String(await freePort()),
          HOST: '127.0.0.1',
          SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
          PLAUSIBLE_ENABLED: 'true',
          PLAUSIBLE_URL: plausible.url,
          PLAUSIBLE_DOMAIN: SITE,
          PLAUSIBLE_RATE_LIMIT_BURST: '1000',
        })
        servers.push(server)
        return server
      }
      /** The one `relay shutdown: events dropped` line's count, between the shutdown's first and last line. */
      const droppedOf = (server: ServerProcess): unknown => {
        const lines = server.logs.filter((entry) => entry.msg === 'relay shutdown: events dropped')
        assert.equal(lines.length, 1, JSON.stringify(server.logs))
        assert.equal(lines[0]?.level, 'warn')
        return lines[0]?.dropped
      }

      it('exits 0 within SHUTDOWN_TIMEOUT_MS and logs as dropped every event Plausible did not take', async (t) => {
        const server = await startRelay()
        try {
          assert.equal(await queueEvents(server), EVENTS)
          const { code, tookMs } = await terminate(server)
          assert.equal(code, 0)
          assert.ok(tookMs < SHUTDOWN_TIMEOUT_MS + EXIT_MARGIN_MS, `exited after ${Math.round(tookMs)} ms`)
          const forwarded = plausible.answered()
          t.diagnostic(`exited after ${Math.round(tookMs)} ms, ${forwarded} events forwarded`)
          assert.ok(forwarded > 0 && forwarded < EVENTS, `${forwarded} events forwarded`)
          assert.equal(droppedOf(server), EVENTS - forwarded)
        } finally {
          await plausible.stop()
        }
      })

      it('stays within SHUTDOWN_TIMEOUT_MS when a request holds the server open for all of it', async (t) => {
        const server = await startRelay()
        try {
          assert.equal(await queueEvents(server), EVENTS)
          const held = await holdRequestOpen(server)
          const { code, tookMs } = await terminate(server)
          held.destroy()
          t.diagnostic(`exited after ${Math.round(tookMs)} ms, ${plausible.answered()} events forwarded`)
          assert.equal(code, 0)
          assert.ok(tookMs < SHUTDOWN_TIMEOUT_MS + EXIT_MARGIN_MS, `exited after ${Math.round(tookMs)} ms`)
          assert.ok(
            server.logs.some(
              (entry) => entry.msg === 'requests still open after the grace period; closing them',
            ),
          )
          assert.equal(droppedOf(server), EVENTS - plausible.answered())
        } finally {
          await plausible.stop()
        }
      })
    })
  }
})
