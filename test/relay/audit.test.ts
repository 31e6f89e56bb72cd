// A customer can see what the relay sends: `/actuator/telemetry` shows the last events exactly as they were sent to
// Plausible, after scrubbing, behind the same management token as the push's preview, on servers started as the
// README says.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createTelemetryApp } from '../../src/mod.ts'
import { BROWSER_UA, describeOnEveryRuntime, postEvent, SITE, startRelay } from '../helpers/relay-server.ts'
import { until } from '../helpers/until.ts'

const TOKEN = 'relay-audit-management-token'
const AUDIT_EVENTS = 3

interface Audited {
  readonly sentAt: string
  readonly status?: number
  readonly headers: Record<string, string>
  readonly event: Record<string, unknown>
}
interface Telemetry {
  readonly enabled: boolean
  readonly relay: { readonly enabled: boolean; readonly target?: string; readonly lastEvents?: Audited[] }
}

describeOnEveryRuntime(
  'the relay’s audit in /actuator/telemetry, on servers started as the README says',
  { PLAUSIBLE_AUDIT_EVENTS: String(AUDIT_EVENTS), MANAGEMENT_TOKEN: TOKEN },
  (relay) => {
    const telemetry = async (): Promise<Telemetry> => {
      const response = await fetch(`${relay().server.url}/actuator/telemetry`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      })
      assert.equal(response.status, 200)
      assert.equal(response.headers.get('cache-control'), 'no-store')
      return (await response.json()) as Telemetry
    }

    it('shows no event before the relay has sent one, next to the push preview', async () => {
      assert.deepEqual(await telemetry(), {
        enabled: false,
        lastBatch: null,
        relay: { enabled: true, target: relay().plausible.url, lastEvents: [] },
      })
    })

    it('shows the last events exactly as Plausible received them, scrubbed, newest first and bounded', async () => {
      const messages = ['first', 'second, from bob@example.com', 'third', 'fourth pw=hunter2']
      for (const [index, message] of messages.entries()) {
        const response = await postEvent(
          relay().server.url,
          { n: 'Feedback', u: `https://${SITE}/feedback?token=abc`, d: SITE, r: null, p: { message } },
          { 'x-forwarded-for': '198.51.100.7' },
        )
        assert.equal(response.status, 202)
        // One at a time, each recorded once Plausible has answered: the order is the order of sending.
        await until(
          async () => {
            const arrived = relay().plausible.events[index]
            const newest = (await telemetry()).relay.lastEvents?.[0]
            return arrived !== undefined && JSON.stringify(newest?.event) === JSON.stringify(arrived.body)
          },
          5000,
          `the audit shows event ${index + 1}`,
        )
      }
      const received = relay().plausible.events
      const audit = (await telemetry()).relay
      const shown = audit.lastEvents ?? []
      assert.equal(shown.length, AUDIT_EVENTS, 'PLAUSIBLE_AUDIT_EVENTS bounds the list')
      // The bodies Plausible received, in the order they arrived there, newest first.
      assert.deepEqual(
        shown.map(({ event }) => event),
        received
          .slice(-AUDIT_EVENTS)
          .map(({ body }) => body)
          .reverse(),
      )
      assert.deepEqual(shown[0]?.event.props, { message: 'fourth pw=[secret]' })
      assert.deepEqual(shown[2]?.event.props, { message: 'second, from [email]' })
      for (const entry of shown) {
        assert.equal(entry.status, 202)
        assert.ok(!Number.isNaN(Date.parse(entry.sentAt)), entry.sentAt)
        // What went with the event, but not the visitor's address: the audit is no list of visitors.
        assert.deepEqual(entry.headers, {
          'content-type': 'application/json',
          'user-agent': BROWSER_UA,
          'x-plausible-ip': '[the visitor’s address]',
          'x-forwarded-for': '[the visitor’s address]',
        })
      }
      assert.ok(!JSON.stringify(audit).includes('198.51.100.7'), 'no visitor address is shown')
    })

    it('answers 401 without the management token, as the push preview does', async () => {
      const response = await fetch(`${relay().server.url}/actuator/telemetry`)
      assert.equal(response.status, 401)
      assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="meshstack-telemetry"')
      assert.ok(!(await response.text()).includes('Feedback'))
    })
  },
)

describe('the relay’s audit, bounded', () => {
  it('keeps no event with auditEvents 0, and still forwards', async () => {
    const relay = await startRelay({ auditEvents: 0 })
    try {
      assert.equal((await relay.send({ n: 'pageview', u: `https://${SITE}/`, d: SITE, r: null })).status, 202)
      await relay.plausible.waitForEvents(1)
      const shown = (await (await fetch(`${relay.url}/actuator/telemetry`)).json()) as Telemetry
      assert.deepEqual(shown.relay, { enabled: true, target: relay.plausible.url, lastEvents: [] })
    } finally {
      await relay.close()
    }
  })

  it('refuses more than 1000 at start, naming the setting', () => {
    const plausible = { enabled: true, url: 'http://127.0.0.1:9', domain: SITE, auditEvents: 1001 }
    assert.throws(() => createTelemetryApp({ plausible }), /plausible\.auditEvents/)
  })
})
