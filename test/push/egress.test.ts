// Installations reach the central monitoring system through their forward proxy: the push goes through the
// module's outbound HTTP client, so HTTP_PROXY applies to it as to the relay, on Node, Deno and Bun.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { type ForwardProxy, forwardProxyUnavailable, startForwardProxy } from '../helpers/forward-proxy.ts'
import { freePort } from '../helpers/free-port.ts'
import { buildServerBundles } from '../helpers/project.ts'
import { type FakeReceiver, startFakeReceiver } from '../helpers/remote-write-receiver.ts'
import { RUNTIMES } from '../helpers/runtimes.ts'
import { startServer } from '../helpers/server-process.ts'
import { until } from '../helpers/until.ts'

describe('pushing through a forward proxy', { skip: forwardProxyUnavailable() }, () => {
  let proxy: ForwardProxy
  let receiver: FakeReceiver
  before(async () => {
    buildServerBundles()
    proxy = await startForwardProxy()
    receiver = await startFakeReceiver()
  })
  after(async () => {
    await proxy?.stop()
    await receiver?.stop()
  })

  for (const runtime of RUNTIMES) {
    it(`sends every push from ${runtime.name} through HTTP_PROXY, with the token and without printing it`, async () => {
      const token = `push-token-${runtime.name}-0123456789`
      const before = { writes: receiver.writes.length, proxied: proxy.requests().length }
      const server = await startServer(runtime.standalone, {
        PORT: String(await freePort()),
        HOST: '127.0.0.1',
        HTTP_PROXY: proxy.url,
        METRICS_REMOTE_WRITE_URL: receiver.url,
        METRICS_REMOTE_WRITE_TOKEN: token,
        METRICS_REMOTE_WRITE_INTERVAL_SECONDS: '1',
        METRICS_INSTALLATION_ID: 'acme-prod',
      })
      try {
        await until(() => receiver.writes.length > before.writes, 5000, 'a push')
      } finally {
        await server.stop()
      }
      const writes = receiver.writes.slice(before.writes)
      assert.ok(writes.length >= 1, 'a push arrived')
      assert.equal(writes[0]?.headers.authorization, `Bearer ${token}`)
      assert.deepEqual(
        writes.flatMap((write) => write.violations),
        [],
      )
      assert.ok(
        proxy.requests().slice(before.proxied).includes(`POST ${receiver.url}`),
        proxy.requests().join('\n'),
      )
      const printed = `${JSON.stringify(server.logs)}${server.stderr()}`
      assert.ok(!printed.includes(token), 'the token is never printed')
      const pushing = server.logs.find((line) => line.msg === 'metrics are pushed')
      assert.equal(pushing?.installation, 'acme-prod')
      assert.match(String(pushing?.instance), /:\d+$/, 'host name and port by default')
    })
  }
})
