import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { MalformedResponseError, ResponseReader } from '../../src/relay/http1/response-reader.ts'

const bytes = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'))

/** Feeds the response in the given pieces and returns the head once complete (after `end` if the peer closed). */
const read = (pieces: readonly string[], { closed = false } = {}) => {
  const reader = new ResponseReader()
  let head = pieces.map((piece) => reader.push(bytes(piece))).find((result) => result !== undefined)
  if (closed) head ??= reader.end()
  return head
}

const ACCEPTED =
  'HTTP/1.1 202 Accepted\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: 2\r\n\r\nok'
const CHUNKED =
  'HTTP/1.1 202 Accepted\r\nTransfer-Encoding: chunked\r\nX-Plausible-Dropped: 1\r\n\r\n2;ext=1\r\nok\r\n1\r\n!\r\n0\r\nx-trailer: y\r\n\r\n'

describe('reading Plausible’s HTTP/1.1 answer', () => {
  it('completes a response framed by Content-Length, and the connection stays usable', () => {
    assert.deepEqual(read([ACCEPTED]), { status: 202, dropped: false, keepAlive: true })
    assert.equal(read([ACCEPTED.slice(0, -1)]), undefined, 'one byte of the body is still missing')
  })

  it('completes a chunked response, trailers included, and sees the drop header whatever its case', () => {
    assert.deepEqual(read([CHUNKED]), { status: 202, dropped: true, keepAlive: true })
    assert.equal(
      read([CHUNKED.slice(0, -2)]),
      undefined,
      'the blank line after the trailers is still missing',
    )
  })

  it('gives the same answer however the bytes are split across reads', () => {
    const splits = (text: string) =>
      fc
        .uniqueArray(fc.integer({ min: 1, max: text.length - 1 }), { maxLength: 12 })
        .map((cuts) => [0, ...cuts.sort((a, b) => a - b), text.length])
        .map((edges) => edges.slice(1).map((edge, index) => text.slice(edges[index], edge)))
    for (const text of [ACCEPTED, CHUNKED, `HTTP/1.1 100 Continue\r\n\r\n${ACCEPTED}`]) {
      const whole = read([text])
      fc.assert(fc.property(splits(text), (pieces) => assert.deepEqual(read(pieces), whole)))
    }
  })

  it('skips an interim 100 Continue and reads the real answer after it', () => {
    assert.deepEqual(read([`HTTP/1.1 100 Continue\r\n\r\n${ACCEPTED}`]), {
      status: 202,
      dropped: false,
      keepAlive: true,
    })
  })

  it('completes an answer without a body length when the connection ends, and never reuses that connection', () => {
    const unframed = 'HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\n\r\n{"errors":{}}'
    assert.equal(read([unframed]), undefined)
    assert.deepEqual(read([unframed], { closed: true }), { status: 400, dropped: false, keepAlive: false })
  })

  it('does not reuse a connection the server closes, or one that sent bytes nobody asked for', () => {
    const closing = ACCEPTED.replace('\r\n\r\n', '\r\nConnection: close\r\n\r\n')
    assert.equal(read([closing])?.keepAlive, false)
    assert.equal(read([ACCEPTED.replace('HTTP/1.1', 'HTTP/1.0')])?.keepAlive, false)
    assert.equal(
      read([
        ACCEPTED.replace('HTTP/1.1', 'HTTP/1.0').replace('\r\n\r\n', '\r\nConnection: keep-alive\r\n\r\n'),
      ])?.keepAlive,
      true,
    )
    assert.equal(read([`${ACCEPTED}HTTP/1.1 202`])?.keepAlive, false)
    const reader = new ResponseReader()
    reader.push(bytes(ACCEPTED))
    reader.push(bytes('x'))
    assert.equal(reader.result()?.keepAlive, false)
  })

  it('knows a 204 has no body', () => {
    assert.deepEqual(read(['HTTP/1.1 204 No Content\r\n\r\n']), {
      status: 204,
      dropped: false,
      keepAlive: true,
    })
  })

  it('refuses what is not an HTTP/1.x response, saying what it saw', () => {
    const refusals: Array<[string, RegExp]> = [
      ['SSH-2.0-OpenSSH_9.2\r\n\r\n', /Not an HTTP\/1\.x status line: "SSH-2\.0-OpenSSH_9\.2"/],
      ['HTTP/1.1 202 Accepted\r\nno colon here\r\n\r\n', /Not a header line/],
      ['HTTP/1.1 202 Accepted\r\ncontent-length: -1\r\n\r\n', /Not a Content-Length: "-1"/],
      ['HTTP/1.1 202 Accepted\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n', /Not a chunk size: "zz"/],
      [
        'HTTP/1.1 202 Accepted\r\ntransfer-encoding: chunked\r\n\r\n2\r\nokk\r\n',
        /longer than its declared size/,
      ],
      [`HTTP/1.1 202 Accepted\r\nx: ${'a'.repeat(70 * 1024)}`, /exceeds 64 KiB/],
    ]
    for (const [response, message] of refusals) {
      assert.throws(
        () => read([response]),
        (error) => error instanceof MalformedResponseError && message.test(error.message),
      )
    }
  })
})
