// The decaying maximum behind http_server_requests_seconds_max, against the behaviour of Micrometer's
// TimeWindowMax (micrometer-core, instrument/distribution/TimeWindowMax.java) with the Prometheus registry's
// settings: rotation every PrometheusConfig.step() (1 minute), DistributionStatisticConfig's 3 slots.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { WindowMax } from '../../src/metrics/window-max.ts'

const SECOND = 1000

describe('the decaying maximum of a timer', () => {
  it('keeps the largest value for 2 to 3 minutes, then decays to what came after it, then to 0', () => {
    let now = 0
    const max = new WindowMax(() => now)
    const at = (seconds: number) => {
      now = seconds * SECOND
      return max
    }
    at(10).record(0.5)
    at(70).record(0.2)
    assert.equal(at(100).poll(), 0.5)
    assert.equal(at(170).poll(), 0.5, 'still there after 2 minutes and 40 seconds')
    assert.equal(at(185).poll(), 0.2, 'gone after the third rotation, leaving the later, smaller value')
    assert.equal(at(245).poll(), 0, 'and that one goes a rotation later, as nothing came after it')
  })

  it('forgets everything after a quiet window, and keeps what comes next', () => {
    let now = 0
    const max = new WindowMax(() => now)
    max.record(3)
    now = 10 * 60 * SECOND
    assert.equal(max.poll(), 0)
    max.record(0.3)
    now += SECOND
    assert.equal(max.poll(), 0.3, 'a rotation owed from the quiet time does not clear the new value')
  })
})
