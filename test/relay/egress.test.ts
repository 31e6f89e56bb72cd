// How events leave an installation: through the forward proxy on-premises networks require, past upstreams that
// drop packets or close idle connections early. Each runtime is started as the README starts it.
import assert from 'node:assert/strict'
import { readdirSync } from 'node:fs'
import { after, before, describe, it } from 'node:test'
import {
  makeTestCertificates,
  opensslUnavailable,
  type TestCertificates,
  TRUST_VARIABLE,
} from '../helpers/certificates.ts'
import { type FakePlausible, startFakePlausible } from '../helpers/fake-plausible/server.ts'
import { type ForwardProxy, forwardProxyUnavailable, startForwardProxy } from '../helpers/forward-proxy.ts'
import { buildServerBundles } from '../helpers/project.ts'
import { pageview, postEvent, relayOutcomes, SITE, startRelayServer } from '../helpers/relay-server.ts'
import { RUNTIMES } from '../helpers/runtimes.ts'
import type { ServerProcess } from '../helpers/server-process.ts'
import {
  type SilentUpstream,
  silentUpstreamUnavailable,
  startSilentUpstream,
} from '../helpers/silent-upstream.ts'
import { until } from '../helpers/until.ts'

const skip = forwardProxyUnavailable() ?? opensslUnavailable() ?? silentUpstreamUnavailable()

const openFiles = (pid: number): number => readdirSync(`/proc/${pid}/fd`).length

describe('outbound requests as installations make them', { skip }, () => {
  let certificates: TestCertificates
  let plain: FakePlausible
  let secure: FakePlausible
  let proxy: ForwardProxy
  const servers: ServerProcess[] = []

  before(async () => {
    // `npm start` builds first (prestart); do the same so Node runs the current source.
    buildServerBundles()
    certificates = makeTestCertificates()
    plain = await startFakePlausible({ domain: SITE })
    secure = await startFakePlausible({ domain: SITE, tls: certificates.server })
    proxy = await startForwardProxy()
  })
  after(async () => {
    await Promise.all(servers.map((server) => server.stop()))
    await Promise.all([plain?.stop(), secure?.stop(), proxy?.stop()])
    certificates?.dispose()
  })

  for (const runtime of RUNTIMES) {
    describe(`on ${runtime.name}`, () => {
      const startRelay = (plausibleUrl: string, env: Record<string, string> = {}) =>
        startRelayServer(runtime, plausibleUrl, servers, {
          [TRUST_VARIABLE[runtime.name]]: certificates.caFile,
          ...env,
        })
      /** Sends a page view and resolves with what Plausible received. */
      const relay = async (server: ServerProcess, to: FakePlausible, path: string) => {
        const before = to.events.length
        assert.equal((await postEvent(server.url, pageview(path))).status, 202)
        const event = (await to.waitForEvents(before + 1)).at(-1)
        assert.equal(event?.body.url, `https://${SITE}${path}`)
        assert.deepEqual(event?.violations, [])
      }

      it('delivers a page view to an http:// Plausible through the forward proxy in http_proxy', async () => {
        const server = await startRelay(plain.url, { http_proxy: proxy.url })
        await relay(server, plain, `/through-the-proxy-on-${runtime.name}`)
        assert.ok(proxy.requests().includes(`POST ${plain.url}/api/event`), proxy.requests().join('\n'))
      })

      it('delivers a page view to an https:// Plausible through a CONNECT tunnel of the proxy in HTTPS_PROXY', async () => {
        const server = await startRelay(secure.url, { HTTPS_PROXY: proxy.url })
        const tunnels = proxy.requests().length
        await relay(server, secure, `/through-the-tunnel-on-${runtime.name}`)
        assert.ok(
          proxy.requests().slice(tunnels).includes(`CONNECT 127.0.0.1:${secure.port}`),
          proxy.requests().join('\n'),
        )
      })

      it('goes straight to a Plausible that NO_PROXY names, and does not send https:// through HTTP_PROXY', async () => {
        const server = await startRelay(secure.url, {
          HTTPS_PROXY: proxy.url,
          NO_PROXY: 'localhost,127.0.0.1',
        })
        const passed = proxy.requests().length
        await relay(server, secure, `/direct-on-${runtime.name}`)
        const onlyHttp = await startRelay(secure.url, { HTTP_PROXY: proxy.url })
        await relay(onlyHttp, secure, `/direct-too-on-${runtime.name}`)
        assert.deepEqual(proxy.requests().slice(passed), [])
      })

      it('keeps its open files flat and keeps answering while Plausible drops every connection attempt', async () => {
        const silent: SilentUpstream = await startSilentUpstream()
        try {
          const server = await startRelay(silent.url, {
            PLAUSIBLE_TIMEOUT_MS: '200',
            // Node would send again what never left; this counts what one attempt each leaves open.
            PLAUSIBLE_RETRY_WINDOW_MS: '0',
            PLAUSIBLE_RATE_LIMIT_PER_MINUTE: '1000000',
            PLAUSIBLE_RATE_LIMIT_BURST: '1000',
          })
          assert.equal((await fetch(`${server.url}/version`)).status, 200)
          const baseline = openFiles(server.pid)
          let most = baseline
          for (let event = 0; event < 300; event++) {
            assert.equal((await postEvent(server.url, pageview('/unreachable'))).status, 202)
            most = Math.max(most, openFiles(server.pid))
          }
          await until(
            async () => {
              most = Math.max(most, openFiles(server.pid))
              return (await relayOutcomes(server.url)).failed === 300
            },
            30_000,
            'every event counted failed',
          )
          // A connection attempt lives at most the send timeout (undici checks it about once a second).
          await until(() => openFiles(server.pid) <= baseline + 4, 3000, `open files back near ${baseline}`)
          // At most one connection attempt per send in flight (PLAUSIBLE_CONCURRENCY, 16), with room for the runtime's own.
          assert.ok(most <= baseline + 32, `at most ${most} open files, from ${baseline}`)
          assert.equal((await fetch(`${server.url}/version`)).status, 200)
        } finally {
          await silent.stop()
        }
      })

      it('loses no event to an upstream that closes idle connections after 1 s and says so in Keep-Alive', async () => {
        const shortLived = await startFakePlausible({ domain: SITE, idleTimeoutMs: 1000 })
        try {
          const server = await startRelay(shortLived.url)
          for (const path of ['/first', '/after-the-idle-timeout', '/and-again']) {
            await relay(server, shortLived, path)
            await new Promise((resolve) => setTimeout(resolve, 1500))
          }
          assert.deepEqual(await relayOutcomes(server.url), { forwarded: 3 })
        } finally {
          await shortLived.stop()
        }
      })
    })
  }
})
