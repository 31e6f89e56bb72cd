// Health as a metric: alert rules and dashboards need "health DOWN" from the scrape, as Spring Boot's how-to
// "Map Health Indicators to Micrometer Metrics" exports it (a gauge read from HealthEndpoint at scrape).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createTelemetryApp, type HealthIndicator, type TelemetryOptions } from '../../src/mod.ts'
import { samplesOf } from '../helpers/exposition.ts'

const up: HealthIndicator = async () => ({ status: 'UP' })
const down: HealthIndicator = async () => ({
  status: 'DOWN',
  details: { error: 'BrokerError: broker.acme-bank.internal:5672 refused the connection' },
})

function telemetry(health: NonNullable<TelemetryOptions['health']>) {
  const app = createTelemetryApp({ logLevel: 'silent', health: { diskSpace: { path: '/' }, ...health } })
  app.lifecycle.ready()
  return app
}

const scrape = async (app: ReturnType<typeof telemetry>) =>
  samplesOf(await (await app.request('/actuator/prometheus')).text(), 'meshstack_health_status')

describe('meshstack_health_status', () => {
  it('reports every component of /actuator/health, 1 when UP and 0 for any other status', async () => {
    const app = telemetry({
      indicators: {
        broker: { us1: up, us2: down },
        cache: async () => ({ status: 'OUT_OF_SERVICE' }),
        search: async () => ({ status: 'unknown' }),
        mail: async () => ({ status: 'up' }),
      },
    })
    const samples = await scrape(app)
    assert.deepEqual(
      samples.map(({ labels, value }) => [labels.component, value]),
      [
        ['broker', 0],
        ['cache', 0],
        ['diskSpace', 1],
        ['mail', 1],
        ['ping', 1],
        ['search', 0],
      ],
    )
    const health = JSON.parse(await (await app.request('/actuator/health')).text())
    assert.deepEqual(Object.keys(health.components), [
      'broker',
      'cache',
      'diskSpace',
      'mail',
      'ping',
      'search',
    ])
    await app.lifecycle.close()
  })

  it('labels a series with the component name and the application only: no detail, error or host', async () => {
    const app = telemetry({ indicators: { broker: down } })
    const [broker] = (await scrape(app)).filter(({ labels }) => labels.component === 'broker')
    assert.deepEqual(broker, { labels: { application: 'meshpanel', component: 'broker' }, value: 0 })
    const exposition = await (await app.request('/actuator/prometheus')).text()
    assert.doesNotMatch(exposition, /acme-bank|refused/)
    await app.lifecycle.close()
  })

  it('reads the cached checks: scrapes within the cache TTL run no check of their own', async () => {
    let checks = 0
    const counted: HealthIndicator = async () => {
      checks++
      return { status: 'UP' }
    }
    const app = telemetry({ cacheTtlMs: 60_000, indicators: { counted } })
    await app.request('/actuator/health')
    for (let scrapes = 0; scrapes < 3; scrapes++) await scrape(app)
    assert.equal(checks, 1)
    await app.lifecycle.close()
  })

  it('shares a check in flight with a probe, so a scrape and a probe at once run it once', async () => {
    let checks = 0
    const slow: HealthIndicator = async () => {
      checks++
      await new Promise((resolve) => setTimeout(resolve, 50))
      return { status: 'UP' }
    }
    const app = telemetry({ cacheTtlMs: 0, indicators: { slow } })
    await Promise.all([app.request('/actuator/health'), scrape(app)])
    assert.equal(checks, 1)
    await app.lifecycle.close()
  })

  it('is in the catalogue, labelled by component as operational data', async () => {
    const app = telemetry({})
    const catalogue = JSON.parse(await (await app.request('/actuator/metrics-catalogue')).text()) as {
      metrics: { name: string; type: string; labels: { name: string; classification: string }[] }[]
    }
    const entry = catalogue.metrics.find(({ name }) => name === 'meshstack_health_status')
    assert.equal(entry?.type, 'gauge')
    assert.deepEqual(
      entry?.labels.map(({ name, classification }) => [name, classification]),
      [['component', 'operational']],
    )
    await app.lifecycle.close()
  })
})
