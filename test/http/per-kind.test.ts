import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { perKind } from '../../src/http/per-kind.ts'

describe('what every request of a kind shares', () => {
  it('is computed once per method, route template and status', () => {
    const computed: string[] = []
    const labels = perKind((method, route, status) => {
      computed.push(`${method} ${route} ${status}`)
      return { method, route, status }
    })
    const first = labels('GET', '/version', 200)
    assert.equal(labels('GET', '/version', 200), first)
    labels('HEAD', '/version', 200)
    labels('GET', '/version', 304)
    labels('GET', 'NOT_FOUND', 404)
    labels('GET', '/version', 200)
    assert.deepEqual(computed, [
      'GET /version 200',
      'HEAD /version 200',
      'GET /version 304',
      'GET NOT_FOUND 404',
    ])
  })

  it('is computed again each time for a method outside the standard ones, which clients may make up without end', () => {
    let computed = 0
    const labels = perKind(() => ++computed)
    for (let request = 0; request < 3; request++) labels(`X-METHOD-${request}`, 'NOT_FOUND', 404)
    labels('PROPFIND', 'NOT_FOUND', 404)
    assert.equal(computed, 4)
  })
})
