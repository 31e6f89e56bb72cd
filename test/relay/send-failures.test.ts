// What an operator reads when events do not reach Plausible: one WARN per kind of failure and minute, with a count,
// from a server started as the README starts it on each runtime.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { makeTestCertificates, opensslUnavailable, type TestCertificates } from '../helpers/certificates.ts'
import { type FakePlausible, startFakePlausible } from '../helpers/fake-plausible/server.ts'
import { buildServerBundles } from '../helpers/project.ts'
import {
  BROWSER_UA,
  pageview,
  postEvent,
  relayOutcomes,
  SITE,
  startRelayServer,
} from '../helpers/relay-server.ts'
import { RUNTIMES } from '../helpers/runtimes.ts'
import type { ServerProcess } from '../helpers/server-process.ts'
import { until } from '../helpers/until.ts'

const BURST = 50
const PAGE = '/workspaces/acme/secret-project'

/** The server's `relay send failed` lines, without their time. */
const sendFailures = (server: ServerProcess) =>
  server.logs.filter((entry) => entry.msg === 'relay send failed').map(({ time: _, ...entry }) => entry)

/** Occurrences counted per reason and detail over every line, flushed ones included. */
function countsOf(lines: readonly Record<string, unknown>[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const { reason, status, timeoutMs, count } of lines) {
    const key = `${reason} ${status ?? timeoutMs ?? ''}`.trim()
    counts[key] = (counts[key] ?? 0) + Number(count)
  }
  return counts
}

async function sendBurst(server: ServerProcess, failedBefore: number): Promise<void> {
  const statuses = await Promise.all(
    Array.from({ length: BURST }, () => postEvent(server.url, pageview(PAGE)).then((r) => r.status)),
  )
  assert.deepEqual(new Set(statuses), new Set([202]))
  const settled = async () => {
    const { failed = 0, rejected = 0 } = await relayOutcomes(server.url)
    return failed + rejected === failedBefore + BURST
  }
  await until(settled, 10_000, `${BURST} more events counted failed or rejected`)
}

describe('send failures in the log', { skip: opensslUnavailable() }, () => {
  let certificates: TestCertificates
  let plain: FakePlausible
  let untrusted: FakePlausible
  const servers: ServerProcess[] = []

  before(async () => {
    // `npm start` builds first (prestart); do the same so Node runs the current source.
    buildServerBundles()
    certificates = makeTestCertificates()
    plain = await startFakePlausible({ domain: SITE })
    untrusted = await startFakePlausible({ domain: SITE, tls: certificates.server })
  })
  after(async () => {
    await Promise.all(servers.map((server) => server.stop()))
    await Promise.all([plain?.stop(), untrusted?.stop()])
    certificates?.dispose()
  })

  for (const runtime of RUNTIMES) {
    describe(`on ${runtime.name}`, () => {
      const startRelay = (plausibleUrl: string) =>
        startRelayServer(runtime, plausibleUrl, servers, {
          PLAUSIBLE_TIMEOUT_MS: '300',
          PLAUSIBLE_RATE_LIMIT_BURST: '1000',
        })
      /** Nothing a line says may identify the visitor or the page: no address, no User-Agent, no event. */
      const assertNothingPersonal = (server: ServerProcess) => {
        const text = JSON.stringify(sendFailures(server))
        for (const secret of [BROWSER_UA, PAGE, SITE, '127.0.0.1']) assert.ok(!text.includes(secret), text)
      }

      it('logs 400 and 500 answers and timeouts once each per burst of 50, the rest counted at shutdown', async () => {
        const server = await startRelay(plain.url)
        plain.replyWith((_, index) => (index % 2 === 0 ? 'bad-request' : 'server-error'))
        await sendBurst(server, 0)
        // Sends run side by side, so either answer may come back, and be logged, first.
        const byStatus = (line: Record<string, unknown>) => Number(line.status)
        assert.deepEqual(
          [...sendFailures(server)].sort((a, b) => byStatus(a) - byStatus(b)),
          [
            { level: 'warn', msg: 'relay send failed', reason: 'status', status: 400, count: 1 },
            { level: 'warn', msg: 'relay send failed', reason: 'status', status: 500, count: 1 },
          ],
        )
        plain.replyWith({ delayMs: 5000 })
        await sendBurst(server, BURST)
        assert.deepEqual(sendFailures(server).slice(2), [
          { level: 'warn', msg: 'relay send failed', reason: 'timeout', timeoutMs: 300, count: 1 },
        ])
        assert.equal(await server.stop('SIGTERM'), 0)
        assert.deepEqual(countsOf(sendFailures(server)), {
          'status 400': BURST / 2,
          'status 500': BURST / 2,
          'timeout 300': BURST,
        })
        assertNothingPersonal(server)
      })

      it('logs a certificate it cannot verify once per burst of 50, naming the TLS handshake', async () => {
        const server = await startRelay(untrusted.url)
        await sendBurst(server, 0)
        const [line, ...more] = sendFailures(server)
        assert.deepEqual(more, [])
        assert.equal(line?.reason, 'connection')
        assert.equal(line?.count, 1)
        assert.match(String(line?.error), /^the TLS handshake failed/)
        assert.equal(await server.stop('SIGTERM'), 0)
        assert.deepEqual(
          sendFailures(server).map(({ reason, error, count }) => ({ reason, error, count })),
          [
            { reason: 'connection', error: line?.error, count: 1 },
            { reason: 'connection', error: line?.error, count: BURST - 1 },
          ],
        )
        assertNothingPersonal(server)
      })
    })
  }
})
