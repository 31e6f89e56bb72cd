// Only meshPanel's own pages may send events, also when a reverse proxy rewrites Host (nginx's default
// `proxy_set_header Host $proxy_host`, and Plausible's proxy guide): the host the browser used then comes from the
// proxy's X-Forwarded-Host or Forwarded header, believed only from a proxy TRUST_PROXY names.
import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { pageview, type RelayUnderTest, SITE, startRelay } from '../helpers/relay-server.ts'

const PAGE_ORIGIN = `https://${SITE}`

describe('the origin check behind a reverse proxy', () => {
  const relays: RelayUnderTest[] = []
  const relay = async (options: Parameters<typeof startRelay>[0], trustProxy: 1 | false | string[]) => {
    const started = await startRelay(options, { trustProxy })
    relays.push(started)
    return started
  }
  after(() => Promise.all(relays.map((r) => r.close())))

  it('accepts the page whose host a trusted proxy names in X-Forwarded-Host, though Host was rewritten', async () => {
    const r = await relay({}, 1)

    const response = await r.send(pageview(), { origin: PAGE_ORIGIN, 'x-forwarded-host': SITE })

    assert.equal(response.status, 202)
  })

  it('reads the host from a standard Forwarded header too, the first element as the browser addressed it', async () => {
    const r = await relay({}, ['127.0.0.1'])

    const response = await r.send(pageview(), {
      origin: PAGE_ORIGIN,
      forwarded: `for=203.0.113.9;host="${SITE}";proto=https, for=10.0.0.1;host=internal`,
    })

    assert.equal(response.status, 202)
  })

  it('treats the default port of the page scheme as no port', async () => {
    const r = await relay({}, 1)

    const response = await r.send(pageview(), { origin: PAGE_ORIGIN, 'x-forwarded-host': `${SITE}:443` })

    assert.equal(response.status, 202)
  })

  it('does not believe X-Forwarded-Host without TRUST_PROXY, or from a peer it does not name', async () => {
    for (const trustProxy of [false, ['10.0.0.0/8']] as const) {
      const r = await relay({}, trustProxy === false ? false : [...trustProxy])

      const response = await r.send(pageview(), { origin: PAGE_ORIGIN, 'x-forwarded-host': SITE })

      assert.equal(response.status, 403, `TRUST_PROXY ${JSON.stringify(trustProxy)}`)
      const { detail } = (await response.json()) as { detail: string }
      assert.match(
        detail,
        /set TRUST_PROXY and pass X-Forwarded-Host, or list the site in PLAUSIBLE_ALLOWED_ORIGINS/,
      )
    }
  })

  it('refuses a foreign page whatever the proxy names', async () => {
    const r = await relay({}, 1)

    const response = await r.send(pageview(), {
      origin: 'https://evil.example.com',
      'x-forwarded-host': SITE,
    })

    assert.equal(response.status, 403)
    assert.equal(r.plausible.events.length, 0)
  })

  it('accepts the origins PLAUSIBLE_ALLOWED_ORIGINS lists, for proxies that pass no host at all', async () => {
    const r = await relay({ allowedOrigins: [PAGE_ORIGIN] }, false)

    const listed = await r.send(pageview(), { origin: PAGE_ORIGIN })
    const other = await r.send(pageview(), { origin: `http://${SITE}` })

    assert.equal(listed.status, 202)
    assert.equal(other.status, 403, 'an origin is scheme, host and port: http is another one')
  })
})
