import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseBrowserEvent } from '../../src/relay/event.ts'
import { type SanitizePolicy, sanitizeEvent } from '../../src/relay/sanitize.ts'

const POLICY: SanitizePolicy = {
  domain: 'meshpanel.example.com',
  events: { pageview: [], engagement: [], Feedback: ['rating', 'topic', 'message'] },
  routes: ['/workspaces/:workspace/projects/:project'],
  queryAllowlist: ['utm_*'],
}

const sanitized = (body: object) => {
  const parsed = parseBrowserEvent(JSON.stringify(body))
  assert.ok(parsed.ok, JSON.stringify(parsed))
  return sanitizeEvent(parsed.event, POLICY)
}

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
      scrubbed: [],
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

  it('keeps the fragment in hash mode as part of the path, with identifiers replaced and its query allowlisted', () => {
    const result = sanitized({
      n: 'pageview',
      u: 'https://meshpanel.example.com/app?token=1#/workspaces/acme/projects/shop?utm_source=mail&token=2',
      d: 'meshpanel.example.com',
      h: 1,
    })
    assert.deepEqual(result.ok && result.event, {
      name: 'pageview',
      url: 'https://meshpanel.example.com/app#/workspaces/:workspace/projects/:project?utm_source=mail',
      domain: 'meshpanel.example.com',
      referrer: null,
      hashMode: 1,
    })
    const uuid = sanitized({
      n: 'pageview',
      u: 'https://meshpanel.example.com/#/tenants/3fa85f64-5717-4562-b3fc-2c963f66afa6',
      d: 'meshpanel.example.com',
      h: 1,
    })
    assert.equal(uuid.ok && uuid.event.url, 'https://meshpanel.example.com/#/tenants/:id')
  })

  it('checks the 2000-byte URL limit on the URL it sends, after percent-encoding and templates', () => {
    // 1,800 bytes as received, 5,400 once percent-encoded: Plausible would refuse what the relay sends.
    const result = sanitized({
      n: 'pageview',
      u: `https://meshpanel.example.com/${'ä'.repeat(900)}`,
      d: 'meshpanel.example.com',
    })
    assert.equal(result.ok, false)
    assert.equal(!result.ok && result.field, 'url')
    assert.match(!result.ok ? result.problem : '', /at most 2000 bytes once rebuilt/)
  })

  it('forwards what Plausible reads beyond the page: non-interactive, revenue, script version, engagement', () => {
    const engagement = sanitized({
      n: 'engagement',
      u: 'https://meshpanel.example.com/a',
      d: 'www.meshpanel.example.com',
      sd: 140,
      e: 5400,
      v: 36,
      i: false,
      $: { amount: '15.99', currency: 'EUR', customer: 'jane@example.com' },
    })
    assert.deepEqual(engagement.ok && engagement.event, {
      name: 'engagement',
      url: 'https://meshpanel.example.com/a',
      domain: 'meshpanel.example.com',
      referrer: null,
      interactive: false,
      revenue: { amount: '15.99', currency: 'EUR' },
      v: 36,
      sd: 100,
      e: 5400,
    })
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
    const shared = sanitized({
      n: 'pageview',
      u: 'https://meshpanel.example.com/',
      d: 'evil.example.com, meshpanel.example.com',
    })
    assert.equal(shared.ok && shared.event.domain, 'meshpanel.example.com', 'sent to the pinned site only')
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
