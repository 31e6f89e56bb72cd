// The URL settings as the standalone server reads them on Node, Deno and Bun, started as the README starts them:
// a password it cannot read is refused in one line with exit 1, never printed and never with a stack; one it can,
// written with escapes and beyond ASCII, reaches the receiver and the forward proxy as the user wrote it.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { freePort } from '../helpers/free-port.ts'
import { buildServerBundles } from '../helpers/project.ts'
import { basicCredentials, type RecordingServer, startRecordingServer } from '../helpers/recording-server.ts'
import { pageview, postEvent, SITE } from '../helpers/relay-server.ts'
import { RUNTIMES } from '../helpers/runtimes.ts'
import { runToExit, startServer } from '../helpers/server-process.ts'
import { until } from '../helpers/until.ts'

// Every character that needs an escape in a URL's password, and some beyond ASCII, besides those that need none.
const PASSWORD = `p@ss#w/rd?%\\ "ä€😀!$&'()*+,;=:~`
const ESCAPED = encodeURIComponent(PASSWORD)

describe('URL settings on every runtime', () => {
  let receiver: RecordingServer
  let proxy: RecordingServer
  before(async () => {
    buildServerBundles()
    receiver = await startRecordingServer(204)
    proxy = await startRecordingServer(202)
  })
  after(async () => {
    await receiver?.stop()
    await proxy?.stop()
  })

  for (const runtime of RUNTIMES) {
    describe(`on ${runtime.name}`, () => {
      it('refuses raw #, / and ? in URL passwords and a stray % in the proxy’s, in one message, exit 1, no stack', async () => {
        const result = await runToExit(runtime.standalone, {
          DATABASE_URL: 'mysql://meshi:pa#ss@127.0.0.1:3306/meshstack',
          PLAUSIBLE_ENABLED: 'true',
          PLAUSIBLE_URL: 'https://relay:pa/ss@plausible.example.com',
          PLAUSIBLE_DOMAIN: SITE,
          METRICS_REMOTE_WRITE_URL: 'http://user:pa?ss@127.0.0.1:18919/w',
          METRICS_INSTALLATION_ID: 'acme-prod',
          HTTPS_PROXY: 'http://user:100%sure@proxy.internal:3128',
        })
        assert.equal(result.code, 1)
        assert.equal(result.stdout, '')
        assert.equal(
          result.stderr,
          [
            'Cannot start: 4 settings are invalid',
            '  - DATABASE_URL must be a URL like "mysql://user:password@host:3306/database" whose user name and password write each #, /, ? and \\ as an escape (%23, %2F, %3F, %5C), got "mysql://meshi:***@127.0.0.1:3306/meshstack"',
            '  - PLAUSIBLE_URL must be an absolute http(s) URL like "https://plausible.example.com" without a user name or password, got "https://relay:***@plausible.example.com"',
            '  - METRICS_REMOTE_WRITE_URL must be an absolute http(s) URL like "https://plausible.example.com" whose user name and password write each #, /, ? and \\ as an escape (%23, %2F, %3F, %5C), got "http://user:***@127.0.0.1:18919/w"',
            '  - HTTPS_PROXY must be an http(s) proxy URL like "http://proxy.internal:3128" whose % signs start escapes such as %40 (write a % of the password as %25), got "http://user:***@proxy.internal:3128"',
            '',
          ].join('\n'),
        )
      })

      it('pushes with a percent-encoded password beyond ASCII as UTF-8 basic auth', async () => {
        const before = receiver.requests.length
        const server = await startServer(runtime.standalone, {
          PORT: String(await freePort()),
          HOST: '127.0.0.1',
          METRICS_REMOTE_WRITE_URL: `${receiver.url.replace('//', () => `//meshi:${ESCAPED}@`)}/api/v1/write`,
          METRICS_REMOTE_WRITE_INTERVAL_SECONDS: '1',
          METRICS_INSTALLATION_ID: 'acme-prod',
        })
        try {
          await until(() => receiver.requests.length > before, 5000, 'a push')
        } finally {
          await server.stop()
        }
        assert.equal(basicCredentials(receiver.requests[before]?.authorization), `meshi:${PASSWORD}`)
        assert.ok(!`${JSON.stringify(server.logs)}${server.stderr()}`.includes(ESCAPED), 'never printed')
      })

      it('sends events through a proxy whose percent-encoded password it sends as the user wrote it', async () => {
        const before = proxy.requests.length
        const server = await startServer(runtime.standalone, {
          PORT: String(await freePort()),
          HOST: '127.0.0.1',
          PLAUSIBLE_ENABLED: 'true',
          PLAUSIBLE_URL: 'http://plausible.example.com',
          PLAUSIBLE_DOMAIN: SITE,
          HTTP_PROXY: proxy.url.replace('//', () => `//meshi:${ESCAPED}@`),
        })
        try {
          assert.equal((await postEvent(server.url, pageview('/through-a-proxy'))).status, 202)
          await until(() => proxy.requests.length > before, 5000, 'an event through the proxy')
        } finally {
          await server.stop()
        }
        assert.equal(basicCredentials(proxy.requests[before]?.['proxy-authorization']), `meshi:${PASSWORD}`)
        assert.ok(!`${JSON.stringify(server.logs)}${server.stderr()}`.includes(ESCAPED), 'never printed')
      })
    })
  }
})
