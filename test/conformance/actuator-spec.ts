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
}
