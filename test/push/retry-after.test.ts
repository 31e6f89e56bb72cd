// How the push reads a 429's Retry-After. RFC 9110 §10.2.3: `Retry-After = HTTP-date / delay-seconds`, with
// delay-seconds `1*DIGIT` (§10.2.4) and HTTP-date one of the three formats of §5.6.7, which a recipient must all
// accept. Prometheus's own remote write client (prometheus/prometheus storage/remote/client.go,
// `retryAfterDuration`) takes an HTTP-date or an integer and reads anything else as no header at all; its queue
// (storage/remote/queue_manager.go, `sendWriteRequestWithBackoff`) uses the header only when it asks for a wait
// above zero, and backs off as usual otherwise ("retry-after cannot be in past").
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { MAX_RETRY_AFTER_MS, retryAfterMs } from '../../src/push/retry-after.ts'

const NOW = Date.UTC(2026, 4, 6, 12, 0, 0)

describe('reading Retry-After', () => {
  it('reads delay-seconds as seconds', () => {
    assert.equal(retryAfterMs('120', NOW), 120_000)
    assert.equal(retryAfterMs('1', NOW), 1000)
  })

  it('reads each of the three HTTP-date formats as the wait until that time', () => {
    assert.equal(retryAfterMs('Wed, 06 May 2026 12:00:30 GMT', NOW), 30_000)
    assert.equal(retryAfterMs('Wednesday, 06-May-26 12:00:30 GMT', NOW), 30_000)
    assert.equal(retryAfterMs('Wed May  6 12:00:30 2026', NOW), 30_000)
  })

  it('reads no wait from 0, from a date already past, or from the present', () => {
    for (const value of ['0', '00', 'Wed, 06 May 2026 11:59:59 GMT', 'Wed, 06 May 2026 12:00:00 GMT'])
      assert.equal(retryAfterMs(value, NOW), undefined, value)
  })

  it('reads anything that is neither delay-seconds nor an HTTP-date as no header', () => {
    for (const value of [
      '',
      ' ',
      '-1',
      '+5',
      '1.5',
      '1e3',
      '0x10',
      'garbage 1',
      '5 seconds',
      'soon',
      'Wed, 06 May 2026 12:00:30',
      '2026-05-06T12:00:30Z',
      'Wed, 32 May 2026 12:00:30 GMT',
      'Wed, 06 May 2026 25:00:30 GMT',
      'Wed, 06 Foo 2026 12:00:30 GMT',
      'Infinity',
      'NaN',
    ])
      assert.equal(retryAfterMs(value, NOW), undefined, JSON.stringify(value))
    assert.equal(retryAfterMs(null, NOW), undefined)
  })

  it('tolerates the whitespace around a field value that HTTP strips', () => {
    assert.equal(retryAfterMs(' 7 ', NOW), 7000)
  })

  it(`waits at most ${MAX_RETRY_AFTER_MS / 60_000} minutes however long it is asked to`, () => {
    assert.equal(retryAfterMs('86400', NOW), MAX_RETRY_AFTER_MS)
    assert.equal(retryAfterMs('99999999999999999999999', NOW), MAX_RETRY_AFTER_MS)
    assert.equal(retryAfterMs('Fri, 31 Dec 9999 23:59:59 GMT', NOW), MAX_RETRY_AFTER_MS)
  })
})
