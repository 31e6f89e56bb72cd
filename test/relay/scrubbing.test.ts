// E-mail addresses and secrets never leave through the relay: wherever a page puts one (the path, an allowlisted
// query value, the hash route, the referrer, a prop), Plausible receives a placeholder instead, and the event still
// arrives. The fields that reach Plausible are the ones its ingestion reads (plausible/analytics
// lib/plausible/ingestion/request.ex: `u` decoded into pathname (with the fragment in hash mode) and query_params,
// `r`, `p`/`props`), so each is checked as Plausible decodes it, through servers started as the README says.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import fc from 'fast-check'
import { samplesOf } from '../helpers/exposition.ts'
import type { FakePlausible, ReceivedEvent } from '../helpers/fake-plausible/server.ts'
import {
  describeOnEveryRuntime,
  postEvent,
  type RelayUnderTest,
  SITE,
  startRelay,
} from '../helpers/relay-server.ts'

const PAGE = `https://${SITE}`
const feedback = (message: string, extra: object = {}) => ({
  n: 'Feedback',
  u: `${PAGE}/feedback`,
  d: SITE,
  r: null,
  p: { rating: 2, message },
  ...extra,
})

/** The last event Plausible received, once the relay has sent the `count`th. */
const received = async (plausible: FakePlausible, count: number): Promise<ReceivedEvent> => {
  const events = await plausible.waitForEvents(count)
  return events[count - 1] as ReceivedEvent
}

describe('scrubbing e-mail addresses and secrets before an event leaves', () => {
  let relay: RelayUnderTest
  let sent = 0
  const forward = async (body: object) => {
    const response = await relay.send(body)
    assert.equal(response.status, 202, await response.text())
    return (await received(relay.plausible, ++sent)).body
  }
  before(async () => {
    relay = await startRelay({ queryAllowlist: ['utm_*'] })
  })
  after(() => relay.close())

  it('replaces an e-mail address, an AWS key and a pw= value in a feedback message, and still forwards it', async () => {
    const body = await forward(feedback('mail me alice@example.com, my key AKIAIOSFODNN7EXAMPLE pw=hunter2'))
    assert.deepEqual(body.props, { rating: 2, message: 'mail me [email], my key [secret] pw=[secret]' })
  })

  it('replaces an e-mail address and a GitHub token in the page path', async () => {
    const body = await forward({
      n: 'pageview',
      u: `${PAGE}/users/alice@example.com/tokens/ghp_abcdefghijklmn`,
      d: SITE,
      r: null,
    })
    assert.equal(body.url, `${PAGE}/users/[email]/tokens/[secret]`)
  })

  it('finds them percent-encoded too, as Plausible decodes the path before it stores it', async () => {
    const body = await forward({
      n: 'pageview',
      u: `${PAGE}/users/alice%40example.com/edit`,
      d: SITE,
      r: null,
    })
    assert.equal(body.url, `${PAGE}/users/[email]/edit`)
  })

  it('replaces them in allowlisted query values and in the hash route with its own query', async () => {
    const jwt =
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkFsaWNlIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'
    const body = await forward({
      n: 'pageview',
      u: `${PAGE}/app?utm_source=bob%40example.org&token=x#/m/workspace/acme/settings?utm_content=${jwt}`,
      d: SITE,
      r: null,
      h: 1,
    })
    assert.equal(
      body.url,
      `${PAGE}/app?utm_source=%5Bemail%5D#/m/workspace/acme/settings?utm_content=%5Bsecret%5D`,
    )
  })

  it('drops a referrer whose origin holds a secret', async () => {
    const body = await forward({
      n: 'pageview',
      u: `${PAGE}/`,
      d: SITE,
      r: 'https://ghp_abcdefghijklmn.attacker.example/',
    })
    assert.equal(body.referrer, null)
  })

  it('replaces the value of a prop whose name says it holds a secret, and key=value secrets in text', async () => {
    const scrubbing = await startRelay({ events: { Feedback: ['message', 'api_token'] } })
    try {
      const response = await scrubbing.send({
        n: 'Feedback',
        u: `${PAGE}/`,
        d: SITE,
        p: { api_token: 'letmein', message: 'password: "correct horse" and {"client_secret":"s3cr3t"}' },
      })
      assert.equal(response.status, 202)
      const body = (await received(scrubbing.plausible, 1)).body
      assert.deepEqual(body.props, {
        api_token: '[secret]',
        message: 'password: [secret] and {"client_secret":[secret]}',
      })
    } finally {
      await scrubbing.close()
    }
  })

  it('counts what it replaced, by field and kind, in meshstack_relay_scrubbed_total', async () => {
    const text = await (await fetch(`${relay.url}/actuator/prometheus`)).text()
    const count = (field: string, kind: string) =>
      samplesOf(text, 'meshstack_relay_scrubbed_total', { field, kind })[0]?.value ?? 0
    assert.equal(count('props', 'email'), 1)
    assert.equal(count('props', 'secret'), 2)
    assert.equal(count('url', 'email'), 3)
    assert.equal(count('url', 'secret'), 2)
    assert.equal(count('referrer', 'secret'), 1)
  })

  it('refuses an event that scrubbing would make too long for Plausible, naming the prop', async () => {
    // 286 × "pw=x " is 1,430 bytes; each value becomes [secret], 3,432 bytes, past Plausible's 2,000.
    const response = await relay.send(feedback('pw=x '.repeat(286).trim()))
    assert.equal(response.status, 400)
    assert.match(await response.text(), /message must be at most 2000 bytes once scrubbed/)
  })
})

// What a page may embed: generated e-mail addresses and tokens of every shape the rules name.
const bytes = fc.uint8Array({ minLength: 24, maxLength: 48 })
const base64url = (data: Uint8Array | string) => Buffer.from(data).toString('base64url')
const secret = fc.oneof(
  fc.emailAddress({ size: 'small' }),
  fc.stringMatching(/^(?:AKIA|ASIA)[A-Z0-9]{16}$/),
  fc
    .tuple(fc.constantFrom('ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'), fc.stringMatching(/^[A-Za-z0-9]{10,36}$/))
    .map((parts) => parts.join('')),
  fc.stringMatching(/^github_pat_[A-Za-z0-9_]{22,82}$/),
  fc
    .tuple(fc.record({ sub: fc.uuid(), name: fc.string({ maxLength: 12 }), iat: fc.nat() }), bytes)
    .map(
      ([claims, signature]) =>
        `${base64url('{"alg":"HS256","typ":"JWT"}')}.${base64url(JSON.stringify(claims))}.${base64url(signature)}`,
    ),
  fc.uint8Array({ minLength: 16, maxLength: 32 }).map((data) => Buffer.from(data).toString('hex')),
  bytes.map((data) => Buffer.from(data).toString('base64')),
  bytes.map(base64url),
)
// A key=value secret: what must not arrive is the value, which holds a digit no surrounding word has.
const keyValue = fc.record({
  name: fc.constantFrom(
    'pw',
    'password',
    'Password',
    'token',
    'secret',
    'api_key',
    'API_KEY',
    'client_secret',
  ),
  separator: fc.constantFrom('=', ': ', ':', ' = '),
  value: fc.stringMatching(/^[A-Za-z0-9!$%*+./^_~-]{6,24}$/).filter((value) => /\d/.test(value)),
})
const word = fc.constantFrom(
  'mail',
  'me',
  'at',
  'my',
  'key',
  'is',
  'the',
  'workspace',
  'login',
  'broken',
  'see',
)
const words = fc.array(word, { maxLength: 5 }).map((list) => list.join(' '))
const separator = fc.constantFrom(' ', ', ', ': ', '\n', ' (', ') ', '/')
const segmentWord = fc.constantFrom('users', 'tokens', 'settings', 'm', 'workspace', 'search')
const segments = fc
  .array(segmentWord, { maxLength: 3 })
  .map((list) => list.map((part) => `/${part}`).join(''))

/** A secret embedded in one of the fields Plausible reads, and the text that must not arrive. */
const embedded = fc
  .tuple(
    fc.oneof(
      secret.map((value) => ({ text: value, hidden: value })),
      keyValue.map(({ name, separator, value }) => ({ text: `${name}${separator}${value}`, hidden: value })),
    ),
    fc.constantFrom('message', 'path', 'query', 'hash', 'referrer'),
    words,
    separator,
    words,
    segments,
  )
  .map(([{ text, hidden }, field, before, gap, after, path]) => {
    const prose = `${before}${before && gap}${text}${after && gap}${after}`
    const inPath = `${path}/${encodeURIComponent(text)}`
    const query = new URLSearchParams({ utm_content: prose, ref: text })
    const url = {
      message: `${PAGE}/feedback`,
      path: `${PAGE}${inPath}`,
      query: `${PAGE}/feedback?${query}`,
      hash: `${PAGE}/#${inPath}?${query}`,
      referrer: `${PAGE}/`,
    }[field]
    return {
      hidden,
      body: {
        n: 'Feedback',
        u: url,
        d: SITE,
        r: field === 'referrer' ? `https://search.example.org${inPath}?q=${encodeURIComponent(text)}` : null,
        ...(field === 'hash' && { h: 1 }),
        p: { rating: 3, ...(field === 'message' && { message: prose }), topic: 'login' },
      },
    }
  })

/** Every form in which Plausible could read the forwarded event: as sent, and decoded as its ingestion decodes it. */
function readable(body: Readonly<Record<string, unknown>>): string {
  const url = new URL(String(body.url))
  const decode = (text: string) => decodeURIComponent(text)
  return [
    JSON.stringify(body),
    decode(url.pathname),
    decode(url.hash),
    ...[...url.searchParams.values()],
    ...[...new URLSearchParams(url.hash.split('?')[1] ?? '').values()],
  ].join('\n')
}

// Values a meshStack page sends every day: they must arrive as they were.
const UUID = fc.uuid()
const ordinaryPath = fc.constantFrom(
  '/#/m/workspace/abc-123/projects',
  '/#/m/workspace/likvid-bank/projects/online-banking/tenants',
  '/#/m/admin/platforms/aws-meshcloud-dev',
  '/settings/api-keys',
  '/sites/meshpanel.example.com/settings/general',
  '/api/event',
  '/js/script.outbound-links.js',
  '/docs/meshstack.how-to.manage-api-keys',
)
const ordinaryText = fc
  .array(
    fc.oneof(
      word,
      UUID,
      fc.constantFrom(
        'v7.7.7',
        'hono@4.12.0',
        '2024-11-05',
        '1a2b3c4d5e',
        'https://docs.meshcloud.io/',
        '42',
      ),
      fc.constantFrom('@meshcloud/meshstack-telemetry', 'ticket #12345', 'e.g. key: value', 'api-keys page'),
    ),
    { minLength: 1, maxLength: 8 },
  )
  .map((list) => list.join(' '))

const TOKEN = 'scrubbing-test-management-token'

describeOnEveryRuntime(
  'no e-mail address or token reaches Plausible, on servers started as the README says',
  {
    PLAUSIBLE_RATE_LIMIT_PER_MINUTE: '1000000',
    PLAUSIBLE_RATE_LIMIT_BURST: '1000000',
    MANAGEMENT_TOKEN: TOKEN,
  },
  (relay) => {
    let sent = 0
    const forward = async (body: object) => {
      const response = await postEvent(relay().server.url, body)
      assert.equal(response.status, 202, `${await response.text()} for ${JSON.stringify(body)}`)
      return (await received(relay().plausible, ++sent)).body
    }

    it('replaces every generated e-mail address and token wherever it is embedded, and forwards the event', async () => {
      let scrubbed = 0
      const hiddenValues: string[] = []
      await fc.assert(
        fc.asyncProperty(embedded, async ({ hidden, body }) => {
          hiddenValues.push(hidden)
          const forwarded = await forward(body)
          const text = readable(forwarded)
          assert.ok(!text.includes(hidden), `${JSON.stringify(hidden)} reached Plausible: ${text}`)
          assert.ok(!text.includes(encodeURIComponent(hidden)), `${JSON.stringify(hidden)} reached Plausible`)
          if (/\[(email|secret)\]/.test(text)) scrubbed++
        }),
        { numRuns: 80 },
      )
      assert.deepEqual(relay().plausible.violations, [])
      const metrics = await (
        await fetch(`${relay().server.url}/actuator/prometheus`, {
          headers: { authorization: `Bearer ${TOKEN}` },
        })
      ).text()
      const counted = samplesOf(metrics, 'meshstack_relay_scrubbed_total').reduce(
        (sum, { value }) => sum + value,
        0,
      )
      assert.ok(counted >= scrubbed, `${counted} scrubbed values counted, ${scrubbed} events showed one`)
      assert.ok(
        scrubbed > 40,
        `only ${scrubbed} of 80 events showed a placeholder: the referrer alone hides it`,
      )
      // Logged by field and kind, never with the value.
      const lines = relay().server.logs.filter(
        (entry) => entry.msg === 'relay replaced a value before sending',
      )
      assert.ok(
        lines.length > 0 && lines.every((line) => line.level === 'info' && 'kind' in line && 'field' in line),
      )
      const logged = JSON.stringify(relay().server.logs)
      assert.deepEqual(
        hiddenValues.filter((value) => logged.includes(value)),
        [],
      )
    })

    it('forwards ordinary product values unchanged: meshStack routes, UUIDs as object ids in props, Plausible’s paths', async () => {
      await fc.assert(
        fc.asyncProperty(ordinaryPath, ordinaryText, UUID, async (path, message, topic) => {
          const hashMode = path.startsWith('/#')
          const forwarded = await forward({
            n: 'Feedback',
            u: `${PAGE}${path}?utm_content=${encodeURIComponent(message)}`,
            d: SITE,
            r: null,
            ...(hashMode && { h: 1 }),
            p: { message, topic },
          })
          // In hash mode the query is the route's own: it follows the fragment, allowlisted the same way.
          assert.equal(forwarded.url, `${PAGE}${path}?${new URLSearchParams({ utm_content: message })}`)
          assert.deepEqual(forwarded.props, { message, topic })
        }),
        { numRuns: 40 },
      )
    })
  },
)
