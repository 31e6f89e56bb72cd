import assert from 'node:assert/strict'
import { it } from 'node:test'

const V3 = 'application/vnd.spring-boot.actuator.v3+json'
const V2 = 'application/vnd.spring-boot.actuator.v2+json'

const get = (url: string, accept?: string) => fetch(url, accept === undefined ? {} : { headers: { accept } })

/** Spring Boot Actuator's negotiation and shapes, the same on every runtime (test/actuator/negotiation.test.ts says why). */
export function actuatorSpec(baseUrl: () => string): void {
  it('answers the actuator endpoints in the v3 media type by default, application/json and v2 when asked, 406 otherwise', async () => {
    for (const path of ['/actuator', '/actuator/info', '/actuator/health', '/actuator/health/liveness']) {
      const url = `${baseUrl()}${path}`
      assert.equal((await get(url)).headers.get('content-type'), V3, path)
      assert.equal((await get(url, 'application/json')).headers.get('content-type'), 'application/json', path)
      assert.equal((await get(url, V2)).headers.get('content-type'), V2, path)
      const refused = await get(url, 'text/plain')
      assert.equal(refused.status, 406, path)
      assert.equal(refused.headers.get('content-type'), 'application/problem+json', path)
    }
  })

  it('nests health components under details in the v2 shape', async () => {
    const json = await (await get(`${baseUrl()}/actuator/health`, V2)).json()
    assert.equal(json.components, undefined)
    assert.deepEqual(json.details.ping, { status: 'UP' })
  })

  it("answers Spring's /actuator/metrics with Micrometer's names, and one metric by name and tag", async () => {
    await get(`${baseUrl()}/version`)
    const { names } = await (await get(`${baseUrl()}/actuator/metrics`)).json()
    assert.ok(names.includes('http.server.requests'), names.join())
    const timer = await get(`${baseUrl()}/actuator/metrics/http.server.requests?tag=uri:/version`)
    assert.equal(timer.headers.get('content-type'), V3)
    const json = await timer.json()
    assert.equal(json.baseUnit, 'seconds')
    // The timer's MAX from http_server_requests_seconds_max, as test/metrics/spring-metrics.test.ts specifies.
    assert.deepEqual(
      json.measurements.map(({ statistic }: { statistic: string }) => statistic),
      ['COUNT', 'TOTAL_TIME', 'MAX'],
    )
    assert.ok(json.measurements[0].value >= 1)
    assert.equal((await get(`${baseUrl()}/actuator/metrics/no.such.metric`)).status, 404)
    assert.equal((await get(`${baseUrl()}/actuator/metrics/http.server.requests?tag=uri`)).status, 400)
  })
}
