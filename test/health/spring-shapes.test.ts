// Golden tests: our health JSON against what Spring Boot itself writes (test/fixtures/spring-boot/README.md says
// where each file comes from).
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { describe, it } from 'node:test'
import type { HealthNode } from '../../src/health/composite.ts'
import { healthDescriptor } from '../../src/health/descriptor.ts'
import { createTelemetryApp, type HealthIndicator } from '../../src/mod.ts'

const fixture = (name: string) =>
  readFile(new URL(`../fixtures/spring-boot/${name}`, import.meta.url), 'utf8')

const details =
  (values: Record<string, unknown>): HealthIndicator =>
  async () => ({ status: 'UP', details: values })

/** The composite Spring's CompositeHealthTests and SystemHealthTests serialize (its status given, not aggregated). */
const SPRING_COMPOSITE: HealthNode = {
  status: 'UP',
  components: { db1: { status: 'UP' }, db2: { status: 'DOWN', details: { a: 'b' } } },
}

/** The indicators of Spring's documentation example (HealthEndpointDocumentationTests). */
function documentedApp() {
  const app = createTelemetryApp({
    logLevel: 'silent',
    health: {
      indicators: {
        broker: { us1: details({ version: '1.0.2' }), us2: details({ version: '1.0.4' }) },
        db: details({ database: 'H2', validationQuery: 'isValid()' }),
        diskSpace: details({
          total: 76887154688,
          free: 49923645440,
          threshold: 10485760,
          path: '/home/runner/work/spring-boot/spring-boot/spring-boot-project/spring-boot-actuator-autoconfigure/.',
          exists: true,
        }),
      },
    },
  })
  app.lifecycle.ready()
  return app
}

describe("Spring Boot's health JSON", () => {
  it('answers exactly the documented example of GET /actuator/health, key order included', async () => {
    // health-documented.json: https://docs.spring.io/spring-boot/3.4.5-SNAPSHOT/api/rest/actuator/health.html
    const response = await documentedApp().request('/actuator/health', {
      headers: { accept: 'application/json' },
    })
    const json = await response.json()
    // Spring's documentation registers no ping indicator and no probe groups; we always have both.
    delete json.components.ping
    delete json.groups
    assert.equal(JSON.stringify(json), JSON.stringify(JSON.parse(await fixture('health-documented.json'))))
  })

  it("writes a composite as Spring's CompositeHealth does for API v3 and v2, byte for byte", async () => {
    // spring-boot-project/spring-boot-actuator/src/test/java/org/springframework/boot/actuate/health/CompositeHealthTests.java:
    // serializeV3WithJacksonReturnsValidJson and serializeV2WithJacksonReturnsValidJson.
    for (const version of ['v3', 'v2'] as const) {
      assert.equal(
        `${JSON.stringify(healthDescriptor(SPRING_COMPOSITE, { version, showDetails: true }))}\n`,
        await fixture(`composite-health-${version}.json`),
      )
    }
  })

  it("lists the groups at the root as Spring's SystemHealth does, byte for byte", async () => {
    // system-health.json: spring-boot-project/spring-boot-actuator/src/test/java/org/springframework/boot/actuate/health/SystemHealthTests.java
    const groups = ['readiness', 'liveness']
    assert.equal(
      `${JSON.stringify(healthDescriptor(SPRING_COMPOSITE, { version: 'v3', showDetails: true, groups }))}\n`,
      await fixture('system-health.json'),
    )
  })

  it('nests every composite level under details in the v2 shape, leaves keeping theirs', async () => {
    const response = await documentedApp().request('/actuator/health', {
      headers: { accept: 'application/vnd.spring-boot.actuator.v2+json' },
    })
    const json = await response.json()
    assert.equal(json.components, undefined)
    assert.deepEqual(json.details.broker, {
      status: 'UP',
      details: {
        us1: { status: 'UP', details: { version: '1.0.2' } },
        us2: { status: 'UP', details: { version: '1.0.4' } },
      },
    })
    assert.deepEqual(json.details.db, {
      status: 'UP',
      details: { database: 'H2', validationQuery: 'isValid()' },
    })
  })
})
