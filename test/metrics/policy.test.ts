import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { describe, it } from 'node:test'
import { createTelemetryApp, type TelemetryOptions } from '../../src/mod.ts'

const KEY = 'installation-secret-0123456789abcdef'

/** An app whose host counts events per meshWorkspace (a customer label), as a relay or a job queue would. */
async function scrapeWorkspaces(metrics: NonNullable<TelemetryOptions['metrics']>) {
  const app = createTelemetryApp({ logLevel: 'silent', metrics })
  const events = app.metrics.counter({
    name: 'meshstack_events_total',
    type: 'counter',
    help: 'Events per meshWorkspace and kind.',
    labels: { workspace: 'customer', kind: 'operational' },
  })
  events.inc({ workspace: 'workspace-4711', kind: 'feedback' }, 2)
  events.inc({ workspace: 'workspace-0815', kind: 'feedback' }, 3)
  const text = await (await app.request('/actuator/prometheus')).text()
  const catalogue = await (await app.request('/actuator/metrics-catalogue')).json()
  return { lines: text.split('\n').filter((line) => line.startsWith('meshstack_events_total')), catalogue }
}

const pseudonym = (key: string, value: string) =>
  createHmac('sha256', key).update(value).digest('hex').slice(0, 16)

describe('the customer-data label policy (METRICS_CUSTOMER_LABELS)', () => {
  it('pseudonymize: replaces identifiers by keyed HMAC-SHA-256 pseudonyms, stable for the same key', async () => {
    const { lines } = await scrapeWorkspaces({ customerLabels: 'pseudonymize', pseudonymKey: KEY })
    assert.deepEqual(lines, [
      `meshstack_events_total{application="meshpanel",workspace="${pseudonym(KEY, 'workspace-4711')}",kind="feedback"} 2`,
      `meshstack_events_total{application="meshpanel",workspace="${pseudonym(KEY, 'workspace-0815')}",kind="feedback"} 3`,
    ])
    const again = await scrapeWorkspaces({ pseudonymKey: KEY })
    assert.deepEqual(again.lines, lines, 'the same key gives the same pseudonyms, as after a restart')
    const otherInstallation = await scrapeWorkspaces({ pseudonymKey: `${KEY}-other` })
    assert.notDeepEqual(
      otherInstallation.lines,
      lines,
      'another key gives other pseudonyms: no dictionary works',
    )
    assert.ok(!lines.join().includes('4711'))
  })

  it('drop: removes the label and sums the series it separated', async () => {
    const { lines, catalogue } = await scrapeWorkspaces({ customerLabels: 'drop' })
    assert.deepEqual(lines, ['meshstack_events_total{application="meshpanel",kind="feedback"} 5'])
    const entry = catalogue.metrics.find(
      (metric: { name: string }) => metric.name === 'meshstack_events_total',
    )
    assert.deepEqual(entry.labels, [
      {
        name: 'workspace',
        classification: 'customer',
        exported: 'dropped (series that differed only in it are summed)',
      },
      { name: 'kind', classification: 'operational', exported: 'as is' },
    ])
  })

  it('keep: exports identifiers as they are, and says so in the catalogue', async () => {
    const { lines, catalogue } = await scrapeWorkspaces({ customerLabels: 'keep' })
    assert.deepEqual(lines, [
      'meshstack_events_total{application="meshpanel",workspace="workspace-4711",kind="feedback"} 2',
      'meshstack_events_total{application="meshpanel",workspace="workspace-0815",kind="feedback"} 3',
    ])
    assert.equal(catalogue.customerLabels, 'keep')
  })

  it('without a key, drops customer labels rather than export them unprotected', async () => {
    const { lines, catalogue } = await scrapeWorkspaces({})
    assert.deepEqual(lines, ['meshstack_events_total{application="meshpanel",kind="feedback"} 5'])
    assert.equal(catalogue.customerLabels, 'drop')
  })

  it('requires the key when configured metrics have customer labels to pseudonymize', () => {
    assert.throws(
      () =>
        createTelemetryApp({
          database: { url: 'mysql://root@127.0.0.1:1/x' },
          metrics: {
            sql: [
              {
                name: 'meshstack_projects',
                help: 'x',
                query: 'SELECT 1',
                value: 'v',
                labels: { workspace: 'customer' },
              },
            ],
          },
        }),
      /metrics\.pseudonymKey must be a secret of at least 32 characters, set because metrics have customer labels to pseudonymize \(or choose keep or drop\), got nothing/,
    )
  })
})
