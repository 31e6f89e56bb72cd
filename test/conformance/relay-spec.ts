import assert from 'node:assert/strict'
import { it } from 'node:test'
import type { FakePlausible } from '../helpers/fake-plausible/server.ts'

export const RELAY_SITE = 'meshpanel.example.com'
const BROWSER_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36'

/** The relay's contract on one runtime: what the browser sends arrives sanitised, from the right client. */
export function relaySpec(
  baseUrl: () => string,
  plausible: () => FakePlausible,
  client: { readonly ip: string; readonly headers?: Readonly<Record<string, string>> },
): void {
  it('relays a page view to Plausible with the client address and the browser User-Agent, sanitised', async () => {
    const before = plausible().events.length
    const response = await fetch(`${baseUrl()}/api/event`, {
      method: 'POST',
      headers: {
        'content-type': 'text/plain',
        'user-agent': BROWSER_UA,
        'x-forwarded-for': '198.51.100.66',
        cookie: 'session=abc123',
        ...client.headers,
      },
      body: JSON.stringify({
        n: 'pageview',
        u: `https://${RELAY_SITE}/workspaces/3fa85f64-5717-4562-b3fc-2c963f66afa6?token=secret#/x`,
        d: RELAY_SITE,
        r: null,
        w: 1280,
        h: 0,
      }),
    })
    assert.equal(response.status, 202)
    const event = (await plausible().waitForEvents(before + 1))[before]
    assert.deepEqual(event?.body, {
      name: 'pageview',
      url: `https://${RELAY_SITE}/workspaces/:id`,
      domain: RELAY_SITE,
      referrer: null,
    })
    assert.equal(event?.userAgent, BROWSER_UA)
    assert.equal(event?.effectiveIp, client.ip)
    assert.deepEqual(event?.violations, [])
  })

  it('tells the page the relay is enabled', async () => {
    const config = await (await fetch(`${baseUrl()}/api/telemetry/config`)).json()
    assert.deepEqual(config, { enabled: true, domain: RELAY_SITE, apiHost: '' })
  })
}
