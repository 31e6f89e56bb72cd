import assert from 'node:assert/strict'
import { it } from 'node:test'

/** Build info every server under test is started with, and the exact answer the product documents. */
export const BUILD_ENV = {
  APP_VERSION: '7.7.7',
  GIT_COMMIT: '123456789abcdef0123456789abcdef012345678',
  GIT_BRANCH: 'HEAD',
}
export const DOCUMENTED_VERSION = '{"package":"7.7.7","git":"123456789a","branch":"HEAD"}'

/** The HTTP contract of /version, the same on every runtime. */
export function versionSpec(baseUrl: () => string): void {
  it('answers GET /version with exactly the documented JSON, uncached', async () => {
    const response = await fetch(`${baseUrl()}/version`)
    assert.equal(response.status, 200)
    assert.equal(response.headers.get('content-type'), 'application/json')
    assert.equal(response.headers.get('cache-control'), 'no-store')
    assert.equal(await response.text(), DOCUMENTED_VERSION)
  })

  it('answers HEAD /version with the headers and no body', async () => {
    const response = await fetch(`${baseUrl()}/version`, { method: 'HEAD' })
    assert.equal(response.status, 200)
    assert.equal(response.headers.get('content-type'), 'application/json')
    assert.equal(await response.text(), '')
  })

  it('answers an unknown path with 404 problem+json', async () => {
    const response = await fetch(`${baseUrl()}/no/such/endpoint`)
    assert.equal(response.status, 404)
    assert.equal(response.headers.get('content-type'), 'application/problem+json')
    assert.deepEqual(await response.json(), {
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'No route matches this method and path',
    })
  })

  it('rejects POST /version with 404 and keeps serving', async () => {
    const response = await fetch(`${baseUrl()}/version`, { method: 'POST', body: 'x' })
    assert.equal(response.status, 404)
    assert.equal((await fetch(`${baseUrl()}/version`)).status, 200)
  })
}
