// A runtime's own message, as a failed send's log line carries it: what the runtime said, never where it went.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { runtimeWords } from '../../src/adapter/shared/runtime-words.ts'

describe('runtime words', () => {
  it("keeps workerd's sentence as it is", () => {
    assert.equal(runtimeWords(new Error('Network connection lost.')), 'Error: Network connection lost.')
  })

  it('replaces URLs with their credentials, host names, addresses and ports', () => {
    const error = new TypeError(
      'error sending request for url (https://user:s3cret@plausible.example.com:8443/api/event): tcp connect to 203.0.113.9:443 and [2001:db8::1]:443 via proxy.internal:3128 failed',
    )
    const words = runtimeWords(error)
    assert.equal(
      words,
      'TypeError: error sending request for url (<url> tcp connect to <address> and <address> via <host> failed',
    )
    for (const secret of ['s3cret', 'plausible', '203.0.113', '2001:db8', 'proxy.internal', '3128'])
      assert.ok(!words.includes(secret), secret)
  })

  it('cuts a long message short', () => {
    assert.equal(runtimeWords(new Error('x'.repeat(500))).length, 160)
  })
})
