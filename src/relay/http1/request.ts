/** A header value must not end the line or the head it is written into: the request would carry forged lines. */
const SAFE_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/

/** Raised before anything is sent: the request cannot be written as HTTP/1.1. */
export class UnsendableRequestError extends Error {
  override readonly name = 'UnsendableRequestError'
}

const encoder = new TextEncoder()

/**
 * The bytes of `POST <path>` with exactly the given headers plus `Host` and `Content-Length`: nothing a runtime would
 * add on its own (`Accept`, `Accept-Encoding`, its own User-Agent) reaches Plausible.
 * @example encodePost(new URL('https://plausible.example.com/api/event'), { 'content-type': 'application/json' }, '{}')
 */
export function encodePost(target: URL, headers: Readonly<Record<string, string>>, body: string): Uint8Array {
  const content = encoder.encode(body)
  let head = `POST ${target.pathname}${target.search} HTTP/1.1\r\nhost: ${target.host}\r\n`
  for (const [name, value] of Object.entries(headers)) {
    if (!SAFE_VALUE.test(value))
      throw new UnsendableRequestError(`The ${name} header holds a line break or a control character`)
    head += `${name}: ${value}\r\n`
  }
  head += `content-length: ${content.length}\r\n\r\n`
  const bytes = new Uint8Array(head.length + content.length)
  writeLatin1(head, bytes)
  bytes.set(content, head.length)
  return bytes
}

/** Header text is one byte per character (HTTP/1.1 obs-text), as the browser's User-Agent reached the server. */
function writeLatin1(text: string, into: Uint8Array): void {
  for (let index = 0; index < text.length; index++) into[index] = text.charCodeAt(index)
}
