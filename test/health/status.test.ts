import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { aggregateStatus, httpStatusOf } from '../../src/mod.ts'

describe('status aggregation and HTTP mapping, as Spring Boot Actuator does them', () => {
  it('picks the most severe status: DOWN > OUT_OF_SERVICE > UP > UNKNOWN', () => {
    assert.equal(aggregateStatus(['UP', 'DOWN', 'OUT_OF_SERVICE']), 'DOWN')
    assert.equal(aggregateStatus(['UP', 'OUT_OF_SERVICE']), 'OUT_OF_SERVICE')
    assert.equal(aggregateStatus(['UNKNOWN', 'UP']), 'UP')
  })

  it('ignores codes it does not know, and says UNKNOWN when none is known', () => {
    assert.equal(aggregateStatus(['FATAL', 'UP']), 'UP')
    assert.equal(aggregateStatus([]), 'UNKNOWN')
  })

  it('compares codes without regard to case and punctuation, with an overridable order', () => {
    assert.equal(aggregateStatus(['up', 'out-of-service']), 'out-of-service')
    assert.equal(aggregateStatus(['DOWN', 'FATAL'], ['fatal', 'down', 'up']), 'FATAL')
  })

  it('maps DOWN and OUT_OF_SERVICE to 503 and everything else to 200; a custom mapping replaces the defaults', () => {
    assert.equal(httpStatusOf('DOWN'), 503)
    assert.equal(httpStatusOf('out_of_service'), 503)
    assert.equal(httpStatusOf('UP'), 200)
    assert.equal(httpStatusOf('UNKNOWN'), 200)
    assert.equal(httpStatusOf('DOWN', { FATAL: 500 }), 200)
    assert.equal(httpStatusOf('fatal', { FATAL: 500 }), 500)
  })
})
