// How the relay reads an event body: as Plausible reads it, in plausible/analytics
// lib/plausible/ingestion/request.ex @69e5af5d (and extra/lib/plausible/ingestion/request/revenue.ex @1128e7e5).
// What Plausible would refuse is refused here with the field named; what it would accept is read its way.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseBrowserEvent } from '../../src/relay/event.ts'

const PAGE = { u: 'https://meshpanel.example.com/a', d: 'meshpanel.example.com' }
const read = (body: object) => {
  const parsed = parseBrowserEvent(JSON.stringify(body))
  assert.ok(parsed.ok, JSON.stringify(parsed))
  return parsed.event
}
const refusal = (body: object) => {
  const parsed = parseBrowserEvent(JSON.stringify(body))
  assert.ok(!parsed.ok, `accepted ${JSON.stringify(body)}`)
  return `${parsed.field} ${parsed.problem}`
}

describe('reading an event as Plausible reads it', () => {
  it('takes short keys, long keys and a mix of both (`body["n"] || body["name"]`)', () => {
    const short = read({ n: 'Feedback', ...PAGE, r: null, w: 1024, h: 0, p: '{"rating":5}' })
    const long = read({ name: 'Feedback', url: PAGE.u, domain: PAGE.d, props: { rating: 5 } })
    const mixed = read({ name: 'Feedback', u: PAGE.u, domain: PAGE.d, p: { rating: 5 } })
    for (const event of [short, long, mixed]) {
      assert.equal(event.name, 'Feedback')
      assert.equal(event.url.href, PAGE.u)
      assert.deepEqual(event.domains, [PAGE.d])
      assert.deepEqual(event.props, { rating: 5 })
    }
  })

  it('takes integer event names, for 404 tracking (Plausible.Ecto.EventName.cast), and refuses other types', () => {
    assert.equal(read({ n: 404, ...PAGE }).name, '404')
    assert.equal(refusal({ n: true, ...PAGE }), 'n must be a string or an integer')
    assert.equal(refusal({ name: '  ', ...PAGE }), 'name must not be blank')
    assert.equal(refusal({ ...PAGE }), 'name is required')
  })

  it('counts the 120-character name limit in characters as Ecto does, not in UTF-16 units', () => {
    const decomposed = 'a\u0308'.repeat(120) // 120 characters, 240 UTF-16 units
    assert.equal(read({ n: decomposed, ...PAGE }).name, decomposed)
    assert.equal(refusal({ n: 'a\u0308'.repeat(121), ...PAGE }), 'n must be at most 120 characters')
  })

  it('drops null, blank and nested prop values and keeps 30 props, as Plausible does, instead of refusing', () => {
    const props = read({
      n: 'x',
      ...PAGE,
      p: {
        plan: 'pro',
        empty: '',
        blank: '  ',
        none: null,
        nested: { a: 1 },
        list: [1],
        count: 3,
        yes: true,
      },
    }).props
    assert.deepEqual(props, { plan: 'pro', count: 3, yes: true })
    const many = Object.fromEntries(
      Array.from({ length: 31 }, (_, index) => [`k${String(index).padStart(2, '0')}`, index]),
    )
    // Plausible walks the props in key order, prepending, and takes 30: k00 is the one left out.
    assert.deepEqual(
      Object.keys(read({ n: 'x', ...PAGE, props: many }).props).sort(),
      Object.keys(many).slice(1),
    )
    assert.deepEqual(read({ n: 'x', ...PAGE, p: 'not json' }).props, {})
    assert.deepEqual(read({ n: 'x', ...PAGE, m: { plan: 'pro' } }).props, { plan: 'pro' }, 'm and meta too')
  })

  it('refuses the event when a kept prop is too long, as Plausible does, naming the prop', () => {
    assert.equal(
      refusal({ n: 'x', ...PAGE, p: { topic: 'ä'.repeat(1001) } }),
      'p.topic must be at most 2000 bytes',
    )
    assert.equal(
      refusal({ n: 'x', ...PAGE, props: { ['k'.repeat(301)]: 1 } }),
      `props.${'k'.repeat(301)} must have a name of at most 300 bytes`,
    )
  })

  it('reads scroll depth and engagement time of an engagement event, and refuses one with neither', () => {
    assert.deepEqual(read({ n: 'engagement', ...PAGE, sd: 140, e: '5400' }).engagement, {
      scrollDepth: 100,
      engagementTime: 5400,
    })
    assert.deepEqual(read({ n: 'engagement', ...PAGE, sd: 0, e: 0 }).engagement, { scrollDepth: 0 })
    assert.match(refusal({ n: 'engagement', ...PAGE, sd: -1, e: 'soon' }), /^sd or e is required/)
    assert.equal(read({ n: 'pageview', ...PAGE, sd: 40 }).engagement, undefined, 'only for engagement')
  })

  it("reads a non-interactive event from the tracker's `i: false` and the long `interactive: false`", () => {
    assert.equal(read({ n: 'x', ...PAGE, i: false }).interactive, false)
    assert.equal(read({ n: 'x', ...PAGE, interactive: false }).interactive, false)
    assert.equal(read({ n: 'x', ...PAGE }).interactive, true)
  })

  it('reads hash mode from `h` or `hashMode` as an integer, and refuses one that is no integer (Ecto cast)', () => {
    assert.equal(read({ n: 'x', ...PAGE, h: 1 }).hashMode, true)
    assert.equal(read({ n: 'x', ...PAGE, hashMode: '1' }).hashMode, true)
    assert.equal(read({ n: 'x', ...PAGE, h: 0 }).hashMode, false)
    assert.equal(refusal({ n: 'x', ...PAGE, h: true }), 'h must be an integer (1 for hash-based routing)')
  })

  it('keeps revenue as amount and currency, and ignores one Plausible could not read', () => {
    assert.deepEqual(read({ n: 'x', ...PAGE, $: { amount: 15.99, currency: 'EUR', note: 'x' } }).revenue, {
      amount: 15.99,
      currency: 'EUR',
    })
    assert.deepEqual(read({ n: 'x', ...PAGE, revenue: '{"amount":"3","currency":"USD"}' }).revenue, {
      amount: '3',
      currency: 'USD',
    })
    assert.equal(read({ n: 'x', ...PAGE, $: { amount: 'lots', currency: 'EUR' } }).revenue, undefined)
  })

  it('reads the domains with `www.` removed and a comma-separated list split, or the URL host without one', () => {
    assert.deepEqual(read({ n: 'x', u: PAGE.u, d: ' www.a.example , b.example' }).domains, [
      'a.example',
      'b.example',
    ])
    assert.deepEqual(read({ n: 'x', u: 'https://www.meshpanel.example.com/' }).domains, [
      'meshpanel.example.com',
    ])
    assert.equal(refusal({ n: 'x', u: PAGE.u, d: ' ' }), 'd must not be blank')
  })

  it('refuses what Plausible cannot read in a URL: over 2000 bytes, data:, an escape that does not decode', () => {
    assert.equal(
      refusal({ n: 'x', d: PAGE.d, u: `${PAGE.u}${'a'.repeat(2000)}` }),
      'u must be a string of at most 2000 bytes',
    )
    assert.equal(
      refusal({ n: 'x', d: PAGE.d, url: 'data:text/html,hi' }),
      'url must be an absolute http(s) URL',
    )
    assert.equal(
      refusal({ n: 'x', d: PAGE.d, u: `${PAGE.u}/100%` }),
      'u must not hold a % that starts no valid escape',
    )
    assert.equal(refusal({ n: 'x', d: PAGE.d, u: 7 }), 'u must be a string of at most 2000 bytes')
  })

  it('ignores a referrer that is no string, as Plausible does', () => {
    assert.equal(read({ n: 'x', ...PAGE, r: 42 }).referrer, null)
  })

  it('names the body when it is no JSON object', () => {
    assert.deepEqual(parseBrowserEvent('not json'), {
      ok: false,
      field: 'body',
      problem: 'must be a JSON object',
    })
    assert.deepEqual(parseBrowserEvent('[]'), { ok: false, field: 'body', problem: 'must be a JSON object' })
  })
})
