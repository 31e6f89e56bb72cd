import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createRateLimiter } from '../../src/relay/rate-limit.ts'
import { type FakePlausible, startFakePlausible } from '../helpers/fake-plausible/server.ts'
import { freePort } from '../helpers/free-port.ts'
import { buildServerBundles } from '../helpers/project.ts'
import { pageview, postEvent, SITE } from '../helpers/relay-server.ts'
import { RUNTIMES } from '../helpers/runtimes.ts'
import { type ServerProcess, startServer } from '../helpers/server-process.ts'

describe('the rate limit', () => {
  it('gives each IPv4 address a bucket of its own', () => {
    const allow = createRateLimiter({ perMinute: 1, burst: 1 })
    assert.equal(allow('198.51.100.1'), true)
    assert.equal(allow('198.51.100.1'), false)
    assert.equal(allow('198.51.100.2'), true)
  })

  it('gives each IPv6 /64 one bucket, however many addresses of it send', () => {
    const allow = createRateLimiter({ perMinute: 1, burst: 2 })
    assert.equal(allow('2001:db8:1:2::a'), true)
    assert.equal(allow('2001:db8:1:2:ffff:ffff:ffff:ffff'), true)
    assert.equal(allow('2001:db8:1:2::b'), false, 'the third address of 2001:db8:1:2::/64 finds it empty')
    assert.equal(allow('2001:db8:1:3::a'), true, 'the next /64 is another household')
    assert.equal(allow('2001:db8:1:2::'), false)
  })
})

describe('the rate limit behind an IPv6 proxy, on a server started as the README says', () => {
  let plausible: FakePlausible
  const servers: ServerProcess[] = []

  before(async () => {
    // `npm start` builds first (prestart); do the same so Node runs the current source.
    buildServerBundles()
    plausible = await startFakePlausible({ domain: SITE })
  })
  after(async () => {
    await Promise.all(servers.map((server) => server.stop()))
    await plausible?.stop()
  })

  for (const runtime of RUNTIMES) {
    it(`shares one bucket among the clients of a /64 and not with the next /64, on ${runtime.name}`, async () => {
      const server = await startServer(runtime.standalone, {
        PORT: String(await freePort()),
        HOST: '::1',
        PLAUSIBLE_ENABLED: 'true',
        PLAUSIBLE_URL: plausible.url,
        PLAUSIBLE_DOMAIN: SITE,
        PLAUSIBLE_RATE_LIMIT_PER_MINUTE: '1',
        PLAUSIBLE_RATE_LIMIT_BURST: '2',
        // The server sees the proxy in front of it as ::1; that proxy was reached through another in fd00::/8.
        TRUST_PROXY: 'fd00::/8, ::1/128',
      })
      servers.push(server)
      assert.match(server.url, /^http:\/\/\[::1\]:\d+$/)
      const from = async (client: string) => {
        const response = await postEvent(server.url, pageview(`/from-${runtime.name}`), {
          'x-forwarded-for': `${client}, fd00::7`,
        })
        return response.status
      }
      const before = plausible.events.length
      assert.deepEqual(
        [
          await from('2001:db8:1:2::a'),
          await from('2001:DB8:1:2:0:0:0:A'),
          await from('2001:db8:1:2:ffff::b'),
          await from('2001:db8:1:3::c'),
        ],
        [202, 202, 429, 202],
      )
      const received = await plausible.waitForEvents(before + 3)
      // Sorted: the relay sends concurrently, so events may reach Plausible in another order than they came.
      assert.deepEqual(
        received
          .slice(before)
          .map((event) => event.effectiveIp)
          .sort(),
        ['2001:db8:1:2::a', '2001:db8:1:2::a', '2001:db8:1:3::c'],
      )
    })
  }
})
