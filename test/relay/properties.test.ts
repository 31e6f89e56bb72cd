// Property-based: whatever a client sends, the relay answers with a 4xx or 202 (never a 5xx, never a crash),
// and nothing it forwards breaks the upstream contract or the privacy rules (the strict fake checks both).
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import fc from 'fast-check'
import { pageview, type RelayUnderTest, SITE, startRelay } from '../helpers/relay-server.ts'

const headerText = fc.string({ maxLength: 60 }).map((text) => text.replace(/[^\x20-\x7e]/g, ''))
const scalar = fc.oneof(fc.string({ maxLength: 40 }), fc.integer(), fc.boolean(), fc.double())
const props = fc.oneof(
  fc
    .dictionary(fc.string({ maxLength: 20 }), scalar, { maxKeys: 35 })
    .map((record) => JSON.stringify(record)),
  fc.dictionary(fc.constantFrom('rating', 'topic', 'message', 'email', 'token'), scalar),
  fc.jsonValue(),
)
const eventLike = fc.record(
  {
    n: fc.oneof(fc.constantFrom('pageview', 'Feedback', 'engagement', ''), fc.string({ maxLength: 130 })),
    u: fc.oneof(
      fc.webUrl({ withQueryParameters: true, withFragments: true }),
      fc.webUrl().map((url) => url.replace(/^https?:\/\/[^/]+/, `https://${SITE}`)),
      fc.string(),
    ),
    d: fc.oneof(
      fc.constant(SITE),
      fc.constant(`${SITE},evil.example.com`),
      fc.domain(),
      fc.string({ maxLength: 20 }),
    ),
    r: fc.oneof(fc.constant(null), fc.webUrl({ withQueryParameters: true }), fc.string({ maxLength: 30 })),
    p: props,
    w: fc.integer(),
  },
  { requiredKeys: [] },
)
const body = fc.oneof(
  eventLike.map((event) => JSON.stringify(event)),
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc.string({ maxLength: 200 }),
  fc.integer({ min: 7000, max: 20_000 }).map((size) => JSON.stringify(pageview(`/${'a'.repeat(size)}`))),
)
/** Events a real page could send, with identifiers, secrets and extras the relay must strip on the way. */
const plausibleEvent = fc
  .record({
    name: fc.constantFrom('pageview', 'Feedback'),
    path: fc.array(
      fc.oneof(
        fc.constantFrom('workspaces', 'projects', 'settings'),
        fc.uuid(),
        fc.nat().map(String),
        fc.stringMatching(/^[a-z0-9-]{1,12}$/),
      ),
      { maxLength: 4 },
    ),
    query: fc.dictionary(
      fc.constantFrom('utm_source', 'utm_medium', 'token', 'q', 'ref'),
      fc.stringMatching(/^[a-z0-9]{0,8}$/),
    ),
    fragment: fc.stringMatching(/^[a-z0-9/]{0,10}$/),
    referrer: fc.oneof(fc.constant(null), fc.webUrl({ withQueryParameters: true })),
    props: fc.record(
      {
        rating: fc.integer({ min: 1, max: 5 }),
        topic: fc.string({ maxLength: 30 }),
        email: fc.emailAddress(),
        token: fc.uuid(),
      },
      { requiredKeys: [] },
    ),
  })
  .map(({ name, path, query, fragment, referrer, props }) =>
    JSON.stringify({
      n: name,
      u: `https://${SITE}/${path.join('/')}?${new URLSearchParams(query)}#${fragment}`,
      d: SITE,
      r: referrer,
      p: JSON.stringify(props),
    }),
  )
const BROWSER = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0.0.0', cookie: 'session=abc' }

const headers = fc.record(
  {
    'content-type': fc.oneof(
      fc.constantFrom('text/plain', 'application/json', 'application/x-www-form-urlencoded'),
      headerText,
    ),
    'x-forwarded-for': headerText,
    'x-plausible-ip': headerText,
    cookie: headerText,
    authorization: headerText,
    origin: fc.oneof(fc.constant(`http://${SITE}`), headerText),
    // Always sent: without one, fetch would send its own ("node"), which the fake rightly flags as a runtime's UA.
    'user-agent': fc.oneof(
      fc.constant('Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0.0.0'),
      fc.constant(''),
      headerText.map((text) => `Mozilla/5.0 ${text}`),
    ),
  },
  { requiredKeys: ['user-agent'] },
)

describe('the relay under arbitrary input', () => {
  let relay: RelayUnderTest
  const rejections: unknown[] = []
  const onRejection = (reason: unknown) => rejections.push(reason)
  before(async () => {
    process.on('unhandledRejection', onRejection)
    relay = await startRelay({ rateLimitPerMinute: 1_000_000, rateLimitBurst: 1_000_000, queueSize: 100_000 })
  })
  after(async () => {
    process.off('unhandledRejection', onRejection)
    await relay.close()
  })

  it('never answers 5xx, and forwards only contract-conforming, sanitised events', async () => {
    let accepted = 0
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          { arbitrary: fc.tuple(plausibleEvent, fc.constant(BROWSER)), weight: 2 },
          { arbitrary: fc.tuple(body, headers), weight: 3 },
        ),
        async ([payload, extra]) => {
          const response = await fetch(`${relay.url}/api/event`, {
            method: 'POST',
            headers: extra,
            body: payload,
          })
          await response.arrayBuffer()
          assert.ok(response.status < 500, `status ${response.status} for ${payload.slice(0, 200)}`)
          assert.ok([202, 400, 403, 413].includes(response.status), `status ${response.status}`)
          if (response.status === 202) accepted++
        },
      ),
      { numRuns: 300 },
    )
    await relay.plausible.waitForEvents(accepted, 10_000)
    assert.equal(relay.plausible.events.length, accepted, 'exactly one upstream call per accepted event')
    assert.deepEqual(relay.plausible.violations, [])
    assert.ok(
      accepted > 10,
      `only ${accepted} of 300 arbitrary requests were valid: the generator is too wild`,
    )
    assert.deepEqual(rejections, [])
  })
})
