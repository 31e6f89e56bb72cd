import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createBodyReader } from '../../src/http/limited-body.ts'

const encoder = new TextEncoder()

/** A POST whose body streams `chunks`, then ends as `then` says: closed, errored, or left open. */
function post(
  chunks: readonly string[],
  then: 'close' | 'error' | 'stay-open',
  headers: Record<string, string> = {},
): { request: Request; cancelled: () => boolean } {
  let cancelled = false
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk))
      if (then === 'close') controller.close()
      if (then === 'error') controller.error(new Error('the client went away'))
    },
    cancel() {
      cancelled = true
    },
  })
  const request = new Request('http://relay.test/api/event', {
    method: 'POST',
    body,
    headers,
    duplex: 'half',
  } as RequestInit)
  return { request, cancelled: () => cancelled }
}

describe('reading a request body within limits', () => {
  const read = createBodyReader({ maxBytes: 256, timeoutMs: 200 })

  it('reads a body of declared length whole, and one of unknown length chunk by chunk', async () => {
    const declared = post(['{"n":', '"pageview"}'], 'close', { 'content-length': '16' })
    assert.deepEqual(await read(declared.request), { text: '{"n":"pageview"}' })
    assert.deepEqual(await read(post(['{"n":', '"pageview"}'], 'close').request), {
      text: '{"n":"pageview"}',
    })
  })

  it('refuses a body longer than the limit: a declared one unread, a chunked one once past it', async () => {
    const declared = post([], 'stay-open', { 'content-length': '257' })
    assert.deepEqual(await read(declared.request), { failure: 'too-large' })
    const chunked = post(['x'.repeat(200), 'x'.repeat(200)], 'stay-open')
    assert.deepEqual(await read(chunked.request), { failure: 'too-large' })
    assert.ok(chunked.cancelled(), 'the rest is not read')
  })

  it('tells a body cut off by the client (its stream errors) from a server fault, with the error for the log', async () => {
    for (const headers of [{ 'content-length': '100' }, {}]) {
      assert.deepEqual(await read(post(['{"n":"pag'], 'error', headers).request), {
        failure: 'aborted',
        error: 'Error: the client went away',
      })
    }
  })

  it('gives up a body that has not arrived whole within the timeout, and stops reading one of unknown length', async () => {
    for (const headers of [{ 'content-length': '100' }, {}]) {
      const slow = post(['{"n":"pag'], 'stay-open', headers)
      const started = performance.now()
      assert.deepEqual(await read(slow.request), { failure: 'too-slow' })
      const tookMs = performance.now() - started
      // Deadlines are checked a tenth of the timeout apart; the rest is room for a busy machine.
      assert.ok(tookMs >= 195 && tookMs < 300, `gave up after ${tookMs} ms`)
      if (!('content-length' in headers)) assert.ok(slow.cancelled())
    }
  })
})
