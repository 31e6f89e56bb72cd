// How every actuator JSON endpoint negotiates, as Spring Boot 3.5 does. The rules come from Spring's source
// (spring-projects/spring-boot, spring-boot-project/spring-boot-actuator/src/main/java/org/springframework/boot/actuate/):
// - endpoint/web/EndpointMediaTypes.java: DEFAULT produces v3+json, v2+json and application/json, in that order,
//   so Spring MVC answers the first for no Accept or */*, the one asked for by name, and 406 for anything else;
// - endpoint/ProducibleOperationArgumentResolver.java and endpoint/ApiVersion.java: the JSON shape is the latest
//   ApiVersion an Accept range is compatible with, */* meaning the default (V3);
// - endpoint/InvocationContext.java: no compatible range (application/json) falls back to ApiVersion.LATEST, V3.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createTelemetryApp } from '../../src/mod.ts'

const V3 = 'application/vnd.spring-boot.actuator.v3+json'
const V2 = 'application/vnd.spring-boot.actuator.v2+json'
const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8'

function telemetry() {
  let brokerChecks = 0
  const app = createTelemetryApp({
    logLevel: 'silent',
    health: {
      indicators: {
        broker: {
          us1: async () => {
            brokerChecks++
            return { status: 'UP' }
          },
        },
      },
    },
  })
  app.lifecycle.ready()
  return { app, brokerChecks: () => brokerChecks }
}

const request = (app: ReturnType<typeof telemetry>['app'], path: string, accept?: string) =>
  app.request(path, accept === undefined ? {} : { headers: { accept } })

describe('content negotiation of the actuator endpoints', () => {
  const answers: readonly [accept: string | undefined, contentType: string, shape: 'v2' | 'v3'][] = [
    [undefined, V3, 'v3'],
    ['*/*', V3, 'v3'],
    [BROWSER, V3, 'v3'],
    ['application/*', V3, 'v3'],
    [V3, V3, 'v3'],
    ['application/json', 'application/json', 'v3'],
    [V2, V2, 'v2'],
    [`application/json;q=0.5, ${V2}`, V2, 'v2'],
    [`${V2}, ${V3}`, V2, 'v3'],
  ]
  for (const [accept, contentType, shape] of answers) {
    it(`answers Accept ${accept ?? '(none)'} with ${contentType} in the ${shape} shape`, async () => {
      const { app } = telemetry()
      const response = await request(app, '/actuator/health', accept)
      assert.equal(response.status, 200)
      assert.equal(response.headers.get('content-type'), contentType)
      const json = await response.json()
      const children = shape === 'v3' ? json.components : json.details
      assert.deepEqual(children.broker, {
        status: 'UP',
        [shape === 'v3' ? 'components' : 'details']: { us1: { status: 'UP' } },
      })
      assert.equal(shape === 'v3' ? json.details : json.components, undefined)
    })
  }

  for (const accept of ['text/plain', 'application/xml', 'text/*', 'json', 'application/json;q=0']) {
    it(`answers Accept ${accept} with 406 problem+json and runs no health check`, async () => {
      const { app, brokerChecks } = telemetry()
      const response = await request(app, '/actuator/health', accept)
      assert.equal(response.status, 406)
      assert.equal(response.headers.get('content-type'), 'application/problem+json')
      assert.deepEqual(await response.json(), {
        type: 'about:blank',
        title: 'Not Acceptable',
        status: 406,
        detail: `This endpoint produces ${V3}, ${V2}, application/json`,
      })
      assert.equal(brokerChecks(), 0)
    })
  }

  it('negotiates /actuator, /actuator/info, the probe groups and component paths alike', async () => {
    const { app } = telemetry()
    for (const path of [
      '/actuator',
      '/actuator/info',
      '/actuator/health/liveness',
      '/actuator/health/readiness',
      '/actuator/health/broker',
      '/actuator/health/broker/us1',
    ]) {
      assert.equal((await request(app, path)).headers.get('content-type'), V3, path)
      assert.equal(
        (await request(app, path, 'application/json')).headers.get('content-type'),
        'application/json',
      )
      assert.equal((await request(app, path, V2)).headers.get('content-type'), V2, path)
      assert.equal((await request(app, path, 'text/plain')).status, 406, path)
    }
  })

  it('answers a component in the v2 shape when asked for v2, and the same body for /actuator/info either way', async () => {
    const { app } = telemetry()
    assert.deepEqual(await (await request(app, '/actuator/health/broker/us1', V2)).json(), { status: 'UP' })
    assert.deepEqual((await (await request(app, '/actuator/health/broker', V2)).json()).details, {
      us1: { status: 'UP' },
    })
    assert.deepEqual(
      await (await request(app, '/actuator/info', V2)).json(),
      await (await request(app, '/actuator/info', V3)).json(),
    )
  })
})
