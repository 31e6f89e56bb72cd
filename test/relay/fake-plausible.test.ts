// The fake Plausible is trusted by every relay test, so this proves it answers like Plausible and is strict:
// a conforming request passes clean, and each way of breaking the contract is reported.
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { type FakePlausible, startFakePlausible } from '../helpers/fake-plausible/server.ts'

const DOMAIN = 'meshpanel.example.com'
const CLIENT_IP = '203.0.113.7'
// Node's fetch would send `user-agent: node` otherwise, which the fake rightly flags.
const BROWSER_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36'

/** A request as the relay should send it; `change` overrides headers (undefined removes one) or body fields. */
interface Change {
  readonly path?: string
  readonly headers?: Readonly<Record<string, string | undefined>>
  readonly body?: Readonly<Record<string, unknown>>
}

function send(fake: FakePlausible, change: Change = {}): Promise<Response> {
  const headers = Object.entries({
    'content-type': 'application/json',
    'user-agent': BROWSER_UA,
    'x-plausible-ip': CLIENT_IP,
    'x-forwarded-for': CLIENT_IP,
    ...change.headers,
  }).filter((entry): entry is [string, string] => entry[1] !== undefined)
  const body = {
    name: 'Feedback',
    url: `https://${DOMAIN}/dashboard?utm_source=newsletter`,
    domain: DOMAIN,
    referrer: 'https://google.com',
    props: { rating: 5, liked: true, text: 'nice' },
    ...change.body,
  }
  return fetch(`${fake.url}${change.path ?? '/api/event'}`, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
  })
}

describe('fake Plausible', () => {
  let fake: FakePlausible
  beforeEach(async () => {
    fake = await startFakePlausible({ domain: DOMAIN })
  })
  afterEach(() => fake.stop())

  it('records a conforming request without violations and answers 202 ok', async () => {
    const response = await send(fake)

    assert.equal(response.status, 202)
    assert.equal(response.headers.get('content-type'), 'text/plain; charset=utf-8')
    assert.equal(response.headers.get('x-plausible-dropped'), null)
    assert.equal(await response.text(), 'ok')
    const [event] = await fake.waitForEvents(1)
    assert.deepEqual(event?.violations, [])
    assert.deepEqual(fake.violations, [])
    assert.equal(event?.effectiveIp, CLIENT_IP)
    assert.equal(event?.userAgent, BROWSER_UA)
    assert.equal(event?.body.url, `https://${DOMAIN}/dashboard?utm_source=newsletter`)
    assert.deepEqual(event?.body.props, { rating: 5, liked: true, text: 'nice' })
  })

  it('records Headless Chrome like any browser, though Plausible itself would drop it', async () => {
    await send(fake, { headers: { 'user-agent': BROWSER_UA.replace('Chrome/', 'HeadlessChrome/') } })

    assert.deepEqual(fake.events[0]?.violations, [])
  })

  const breaches: readonly {
    readonly request: string
    readonly change: Change
    readonly expected: RegExp[]
  }[] = [
    { request: 'carries a cookie', change: { headers: { cookie: 'session=abc' } }, expected: [/cookie/] },
    {
      request: 'spoofs x-plausible-ip',
      change: { headers: { 'x-plausible-ip': '198.51.100.9' } },
      expected: [
        /x-plausible-ip "198.51.100.9" and x-forwarded-for "203.0.113.7" must name the same client/,
        /Plausible would count client IP "198.51.100.9"/,
      ],
    },
    {
      request: 'leaves out x-plausible-ip, which a CDN in front of Plausible would then outrank',
      change: { headers: { 'x-plausible-ip': undefined } },
      expected: [/x-plausible-ip is missing/],
    },
    {
      request: 'forwards two x-forwarded-for entries',
      change: { headers: { 'x-plausible-ip': undefined, 'x-forwarded-for': `198.51.100.9, ${CLIENT_IP}` } },
      expected: [/x-plausible-ip is missing/, /x-forwarded-for must hold exactly one IP/],
    },
    {
      request: 'sends a fragment without hash mode',
      change: { body: { url: `https://${DOMAIN}/dashboard#token=secret` } },
      expected: [/url must not carry a fragment/],
    },
    {
      request: 'sends props Plausible would silently drop',
      change: { body: { props: { rating: 5, topic: '' } } },
      expected: [/props.topic is blank, Plausible would drop it/],
    },
    {
      request: "sends the short key `i`, which Plausible's `i || interactive` reads as absent when false",
      change: { body: { i: false } },
      expected: [/body key "i" is not in the contract/],
    },
    {
      request: "has Node's default user agent",
      change: { headers: { 'user-agent': undefined } },
      expected: [/user-agent "node" is the runtime's fetch default/],
    },
    {
      request: 'keeps a query string in url',
      change: { body: { url: `https://${DOMAIN}/dashboard?token=secret` } },
      expected: [/url query parameter "token" must be stripped/],
    },
    {
      request: 'names a foreign domain',
      change: { body: { domain: 'other.example.com' } },
      expected: [/domain "other.example.com" is not the configured/],
    },
  ]
  for (const { request, change, expected } of breaches) {
    it(`reports a request that ${request}, and still answers it`, async () => {
      const response = await send(fake, change)

      assert.equal(response.status, 202)
      const [event] = await fake.waitForEvents(1)
      assert.equal(event?.violations.length, expected.length, `violations: ${event?.violations.join('; ')}`)
      for (const [index, pattern] of expected.entries()) assert.match(event?.violations[index] ?? '', pattern)
      assert.ok(fake.violations.every((violation) => violation.startsWith('#1 POST /api/event: ')))
    })
  }

  // lib/plausible/ingestion/request.ex @69e5af5d: put_engagement_fields, validate_props, put_uri, EventName.cast.
  const refusals: readonly {
    readonly request: string
    readonly body: Readonly<Record<string, unknown>>
    readonly errors: object
  }[] = [
    {
      request: 'an engagement event with neither sd nor e',
      body: { name: 'engagement' },
      errors: {
        event_name: [
          "engagement event requires a valid integer value for at least one of 'sd' or 'e' fields",
        ],
      },
    },
    {
      request: 'a prop value over 2000 bytes',
      body: { props: { topic: 'ä'.repeat(1001) } },
      errors: { props: ['keys should have at most 300 bytes and values 2000 bytes'] },
    },
    {
      request: 'a url over 2000 bytes',
      body: { url: `https://${DOMAIN}/${'a'.repeat(2000)}` },
      errors: { url: ['must be a valid url'] },
    },
    { request: 'a boolean event name', body: { name: true }, errors: { event_name: ['is invalid'] } },
    {
      request: 'a hash mode that is no integer',
      body: { hashMode: true },
      errors: { hash_mode: ['is invalid'] },
    },
  ]
  for (const { request, body, errors } of refusals) {
    it(`answers ${request} with Plausible's 400 and its errors, and reports it`, async () => {
      const response = await send(fake, { body })

      assert.equal(response.status, 400)
      assert.deepEqual(await response.json(), { errors })
      const [event] = await fake.waitForEvents(1)
      assert.ok(
        event?.violations.some((violation) => violation.startsWith('Plausible would refuse it:')),
        event?.violations.join('; '),
      )
    })
  }

  it('accepts an engagement event with scroll depth and engagement time, and an integer-named event', async () => {
    const engagement = await send(fake, {
      body: { name: 'engagement', props: undefined, sd: 80, e: 5400, v: 36 },
    })
    const notFound = await send(fake, { body: { name: '404' } })

    assert.equal(engagement.status, 202)
    assert.equal(notFound.status, 202)
    assert.deepEqual(fake.violations, [])
  })

  it('answers 404 to any other path, reports it, and does not count it as an event', async () => {
    const response = await send(fake, { path: '/api/events' })

    assert.equal(response.status, 404)
    assert.deepEqual(fake.events, [])
    assert.deepEqual(fake.violations, ['#1 POST /api/events: only POST /api/event exists (answered 404)'])
  })

  it('marks the answer as dropped after replyWith("drop")', async () => {
    fake.replyWith('drop')

    const response = await send(fake)

    assert.equal(response.status, 202)
    assert.equal(response.headers.get('x-plausible-dropped'), '1')
    assert.equal(await response.text(), 'ok')
  })

  it('chooses the reply per event when given a function', async () => {
    fake.replyWith((_event, index) => (index === 0 ? 'bad-request' : 'accept'))

    const first = await send(fake)
    const second = await send(fake)

    assert.equal(first.status, 400)
    assert.deepEqual(await first.json(), { errors: { url: ['is required'] } })
    assert.equal(second.status, 202)
  })

  it('answers late, then as told, for a delayed reply', async () => {
    // biome-ignore lint/suspicious/noThenProperty: `then` is the fake's name for the late answer; never awaited
    fake.replyWith({ delayMs: 300, then: 'unavailable' })

    const started = performance.now()
    const response = await send(fake)

    assert.equal(response.status, 503)
    assert.ok(performance.now() - started >= 290, `answered after ${performance.now() - started} ms`)
    assert.ok(
      fake.events[0] !== undefined && fake.events[0].at - started < 200,
      'the event is recorded on arrival',
    )
  })

  it('makes fetch fail when told to reset the connection', async () => {
    fake.replyWith('reset')

    await assert.rejects(send(fake), TypeError)
    assert.equal(fake.events.length, 1)
  })

  it('refuses connections after stop() and serves again on the same port after start()', async () => {
    await send(fake)
    await fake.stop()

    await assert.rejects(send(fake), (error: Error) => {
      assert.match(String(error.cause), /ECONNREFUSED/)
      return true
    })

    await fake.start()
    const response = await send(fake)
    assert.equal(response.status, 202)
    assert.equal(fake.events.length, 2)
  })

  it('rejects waitForEvents with what did arrive when too few events come', async () => {
    await send(fake, { body: { domain: 'other.example.com' } })

    await assert.rejects(
      fake.waitForEvents(2, 100),
      /expected 2 event\(s\) within 100 ms, got 1:\n {2}0: "Feedback"/,
    )
  })
})
