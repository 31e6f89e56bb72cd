import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseBrowserEvent } from '../../src/relay/event.ts'
import { type SanitizePolicy, sanitizeEvent } from '../../src/relay/sanitize.ts'

const POLICY: SanitizePolicy = {
  domain: 'meshpanel.example.com',
  events: { pageview: [], Feedback: ['rating', 'topic', 'message'] },
  routes: ['/workspaces/:workspace/projects/:project'],
  queryAllowlist: ['utm_*'],
}

const sanitized = (body: object) => {
  const parsed = parseBrowserEvent(JSON.stringify(body))
  assert.ok(parsed.ok, JSON.stringify(parsed))
  return sanitizeEvent(parsed.event, POLICY)
}

describe('parsing what the browser sends', () => {
  it("accepts plausible-tracker's short keys with props as a JSON string, and the Events API's long keys", () => {
    const short = parseBrowserEvent(
      '{"n":"Feedback","u":"https://meshpanel.example.com/a","d":"meshpanel.example.com","r":null,"w":1024,"h":0,"p":"{\\"rating\\":5}"}',
    )
    const long = parseBrowserEvent(
      '{"name":"Feedback","url":"https://meshpanel.example.com/a","domain":"meshpanel.example.com","props":{"rating":5}}',
    )
    const expected = {
      name: 'Feedback',
      url: 'https://meshpanel.example.com/a',
      domain: 'meshpanel.example.com',
      referrer: null,
      props: { rating: 5 },
    }
    assert.deepEqual(short, { ok: true, event: expected })
    assert.deepEqual(long, { ok: true, event: expected })
  })

  it('names the field that is wrong', () => {
    assert.deepEqual(parseBrowserEvent('not json'), {
      ok: false,
      field: 'body',
      problem: 'must be a JSON object',
    })
    assert.deepEqual(parseBrowserEvent('{"n":"","u":"https://x.example/","d":"x.example"}'), {
      ok: false,
      field: 'n',
      problem: 'must be a non-empty event name',
    })
    assert.deepEqual(parseBrowserEvent('{"n":"pageview","u":"data:text/html,hi","d":"x.example"}'), {
      ok: false,
      field: 'u',
      problem: 'must be an absolute http(s) URL',
    })
    const tooManyProps = JSON.stringify(
      Object.fromEntries(Array.from({ length: 31 }, (_, index) => [`k${index}`, index])),
    )
    const props = parseBrowserEvent(
      JSON.stringify({ n: 'x', u: 'https://x.example/', d: 'x.example', p: tooManyProps }),
    )
    assert.equal(props.ok, false)
    assert.equal(!props.ok && props.field, 'p')
    const longName = parseBrowserEvent(
      JSON.stringify({ name: 'x'.repeat(121), url: 'https://x.example/', domain: 'x.example' }),
    )
    assert.deepEqual(longName, { ok: false, field: 'name', problem: 'must be at most 120 characters' })
  })
})

describe('privacy rules applied before anything is forwarded', () => {
  it('rebuilds the URL from scheme, the site host and the path: no query except utm_*, no fragment', () => {
    const result = sanitized({
      n: 'pageview',
      u: 'https://10.1.2.3:8443/dashboard?token=secret&utm_source=mail#/settings',
      d: 'meshpanel.example.com',
    })
    assert.deepEqual(result, {
      ok: true,
      event: {
        name: 'pageview',
        url: 'https://meshpanel.example.com/dashboard?utm_source=mail',
        domain: 'meshpanel.example.com',
        referrer: null,
      },
    })
  })

  it('replaces identifiers in paths: route templates first, then UUIDs, long numbers and tokens', () => {
    const urlOf = (path: string) => {
      const result = sanitized({
        n: 'pageview',
        u: `https://meshpanel.example.com${path}`,
        d: 'meshpanel.example.com',
      })
      return result.ok ? result.event.url.replace('https://meshpanel.example.com', '') : result.problem
    }
    assert.equal(urlOf('/workspaces/acme-retail/projects/shop'), '/workspaces/:workspace/projects/:project')
    assert.equal(urlOf('/tenants/3fa85f64-5717-4562-b3fc-2c963f66afa6/usage'), '/tenants/:id/usage')
    assert.equal(urlOf('/invoices/2024113/pdf'), '/invoices/:id/pdf')
    assert.equal(urlOf('/share/a1b2c3d4e5f6a7b8c9d0e1f2/view'), '/share/:id/view')
    assert.equal(urlOf('/settings/profile'), '/settings/profile')
  })

  it('keeps only the origin of an external referrer, and drops the site itself as a referrer', () => {
    const external = sanitized({
      n: 'pageview',
      u: 'https://meshpanel.example.com/',
      d: 'meshpanel.example.com',
      r: 'https://google.com/search?q=acme',
    })
    assert.equal(external.ok && external.event.referrer, 'https://google.com')
    const internal = sanitized({
      n: 'pageview',
      u: 'https://meshpanel.example.com/b',
      d: 'meshpanel.example.com',
      r: 'https://meshpanel.example.com/a?x=1',
    })
    assert.equal(internal.ok && internal.event.referrer, null)
  })

  it('pins the domain, accepts only allowlisted events, and keeps only their allowlisted props', () => {
    assert.deepEqual(
      sanitized({ n: 'pageview', u: 'https://meshpanel.example.com/', d: 'evil.example.com' }),
      {
        ok: false,
        field: 'domain',
        problem: 'must be the domain this relay serves',
      },
    )
    assert.deepEqual(
      sanitized({
        n: 'pageview',
        u: 'https://meshpanel.example.com/',
        d: 'meshpanel.example.com,evil.example.com',
      }),
      {
        ok: false,
        field: 'domain',
        problem: 'must be the domain this relay serves',
      },
    )
    assert.deepEqual(
      sanitized({ n: 'Login', u: 'https://meshpanel.example.com/', d: 'meshpanel.example.com' }),
      {
        ok: false,
        field: 'name',
        problem: 'must be an event this relay accepts',
      },
    )
    const feedback = sanitized({
      n: 'Feedback',
      u: 'https://meshpanel.example.com/',
      d: 'meshpanel.example.com',
      p: JSON.stringify({ rating: 4, topic: 'projects', email: 'jane@example.com' }),
    })
    assert.deepEqual(feedback.ok && feedback.event.props, { rating: 4, topic: 'projects' })
  })
})
