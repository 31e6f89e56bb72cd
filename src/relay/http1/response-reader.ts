/** The parts of an HTTP/1.1 response the relay acts on. */
export interface ResponseHead {
  readonly status: number
  /** Plausible's sign of an event it discarded (bots, headless browsers): `x-plausible-dropped`. */
  readonly dropped: boolean
  /** Whether the connection may carry another request after this response. */
  readonly keepAlive: boolean
}

/** Larger heads are not Plausible's: a few hundred bytes in practice. */
const MAX_HEAD_BYTES = 64 * 1024

const CR = 13
const LF = 10

/** The response cannot be understood: the connection is unusable, the outcome of the request unknown. */
export class MalformedResponseError extends Error {
  override readonly name = 'MalformedResponseError'
}

type Framing =
  | { readonly kind: 'length'; remaining: number }
  | { readonly kind: 'chunked'; state: 'size' | 'data' | 'data-end' | 'trailer'; remaining: number }
  | { readonly kind: 'until-close' }

/**
 * Reads one response from the bytes of a connection, as they arrive, and discards its body: Plausible's bodies
 * ("ok", or errors the relay only counts) carry nothing the relay needs, but they must be read whole before the
 * connection can carry the next request.
 * @example const reader = new ResponseReader(); reader.push(bytes) // the head, once the whole response is read
 */
export class ResponseReader {
  #pending: Uint8Array = new Uint8Array(0)
  #head: ResponseHead | undefined
  #framing: Framing | undefined
  #complete = false
  /** Bytes after the end of the response: a server that sends them cannot be trusted with another request. */
  #trailingBytes = false

  /** Feeds bytes; returns the head once the response is complete. Throws MalformedResponseError. */
  push(chunk: Uint8Array): ResponseHead | undefined {
    if (this.#complete) {
      this.#trailingBytes ||= chunk.length > 0
      return undefined
    }
    let bytes = this.#pending.length === 0 ? chunk : concat(this.#pending, chunk)
    while (!this.#complete && bytes.length > 0) {
      const used = this.#framing === undefined ? this.#readHead(bytes) : this.#readBody(bytes, this.#framing)
      if (used === 0) break
      bytes = bytes.subarray(used)
    }
    if (this.#complete) {
      this.#trailingBytes = bytes.length > 0
      this.#pending = new Uint8Array(0)
      return this.result()
    }
    // The caller may reuse its array: keep a copy of what is not read yet.
    this.#pending = bytes.slice()
    return undefined
  }

  /** The connection ended: completes a response delimited by the end of the connection. */
  end(): ResponseHead | undefined {
    if (!this.#complete && this.#framing?.kind === 'until-close') this.#complete = true
    return this.result()
  }

  /** The head, once the response is complete; a connection that ended it or sent more is not reusable. */
  result(): ResponseHead | undefined {
    if (!this.#complete || this.#head === undefined) return undefined
    const reusable = this.#framing?.kind !== 'until-close' && !this.#trailingBytes
    return reusable ? this.#head : { ...this.#head, keepAlive: false }
  }

  #readHead(bytes: Uint8Array): number {
    const end = indexOfBlankLine(bytes)
    if (end === -1) {
      if (bytes.length > MAX_HEAD_BYTES) throw new MalformedResponseError('The response head exceeds 64 KiB')
      return 0
    }
    const lines = latin1(bytes.subarray(0, end)).split('\r\n')
    const match = /^HTTP\/1\.([01]) ([1-9]\d\d)(?: |$)/.exec(lines[0] ?? '')
    if (match === null)
      throw new MalformedResponseError(
        `Not an HTTP/1.x status line: ${JSON.stringify(lines[0]?.slice(0, 80))}`,
      )
    const status = Number(match[2])
    const headers = new Map<string, string>()
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':')
      if (colon <= 0)
        throw new MalformedResponseError(`Not a header line: ${JSON.stringify(line.slice(0, 80))}`)
      const name = line.slice(0, colon).trim().toLowerCase()
      const value = line.slice(colon + 1).trim()
      headers.set(name, headers.has(name) ? `${headers.get(name)}, ${value}` : value)
    }
    // An interim answer (100 Continue...) precedes the real one on the same connection.
    if (status < 200) return end + 4
    const connection = (headers.get('connection') ?? '').toLowerCase()
    this.#head = {
      status,
      dropped: headers.has('x-plausible-dropped'),
      keepAlive: match[1] === '1' ? !/\bclose\b/.test(connection) : /\bkeep-alive\b/.test(connection),
    }
    this.#framing = framing(status, headers)
    this.#complete = this.#framing.kind === 'length' && this.#framing.remaining === 0
    return end + 4
  }

  #readBody(bytes: Uint8Array, framing: Framing): number {
    if (framing.kind === 'until-close') return bytes.length
    if (framing.kind === 'length') {
      const used = Math.min(framing.remaining, bytes.length)
      framing.remaining -= used
      this.#complete = framing.remaining === 0
      return used
    }
    if (framing.state === 'data') {
      const used = Math.min(framing.remaining, bytes.length)
      framing.remaining -= used
      if (framing.remaining === 0) framing.state = 'data-end'
      return used
    }
    const lineEnd = indexOfLineEnd(bytes)
    if (lineEnd === -1) {
      if (bytes.length > MAX_HEAD_BYTES) throw new MalformedResponseError('A chunk line exceeds 64 KiB')
      return 0
    }
    const line = latin1(bytes.subarray(0, lineEnd))
    if (framing.state === 'data-end') {
      if (line !== '') throw new MalformedResponseError('A chunk is longer than its declared size')
      framing.state = 'size'
    } else if (framing.state === 'size') {
      const size = /^([0-9a-fA-F]{1,8})[ \t]*(?:;.*)?$/.exec(line)
      if (size === null)
        throw new MalformedResponseError(`Not a chunk size: ${JSON.stringify(line.slice(0, 80))}`)
      framing.remaining = Number.parseInt(size[1] ?? '', 16)
      framing.state = framing.remaining === 0 ? 'trailer' : 'data'
    } else if (line === '') {
      this.#complete = true
    }
    return lineEnd + 2
  }
}

function framing(status: number, headers: ReadonlyMap<string, string>): Framing {
  if (status === 204 || status === 304) return { kind: 'length', remaining: 0 }
  const encoding = headers.get('transfer-encoding')
  if (encoding !== undefined) {
    if (/(?:^|,)\s*chunked\s*$/i.test(encoding)) return { kind: 'chunked', state: 'size', remaining: 0 }
    return { kind: 'until-close' }
  }
  const length = headers.get('content-length')
  if (length === undefined) return { kind: 'until-close' }
  if (!/^\d{1,15}$/.test(length))
    throw new MalformedResponseError(`Not a Content-Length: ${JSON.stringify(length.slice(0, 80))}`)
  return { kind: 'length', remaining: Number(length) }
}

function indexOfBlankLine(bytes: Uint8Array): number {
  for (
    let index = bytes.indexOf(CR);
    index !== -1 && index + 3 < bytes.length;
    index = bytes.indexOf(CR, index + 1)
  ) {
    if (bytes[index + 1] === LF && bytes[index + 2] === CR && bytes[index + 3] === LF) return index
  }
  return -1
}

function indexOfLineEnd(bytes: Uint8Array): number {
  const index = bytes.indexOf(CR)
  if (index === -1 || index + 1 >= bytes.length) return -1
  if (bytes[index + 1] !== LF) throw new MalformedResponseError('A bare CR in a chunk line')
  return index
}

/** Header bytes as the server sent them, one character per byte (obs-text included). */
const latin1 = (bytes: Uint8Array): string => LATIN1.decode(bytes)
const LATIN1 = new TextDecoder('latin1')

function concat(first: Uint8Array, second: Uint8Array): Uint8Array {
  const joined = new Uint8Array(first.length + second.length)
  joined.set(first)
  joined.set(second, first.length)
  return joined
}
