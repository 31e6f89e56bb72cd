import { createDeadlines, TIMED_OUT } from './deadlines.ts'

/** Why a body was not read: longer than allowed, cut off by the client, or not all there within the time allowed. */
export type BodyFailure =
  | { readonly failure: 'too-large' }
  | { readonly failure: 'aborted'; readonly error: string }
  | { readonly failure: 'too-slow' }

export type BodyRead = { readonly text: string } | BodyFailure

export interface BodyLimits {
  readonly maxBytes: number
  /** How long the whole body may take to arrive, once the handler has the request. */
  readonly timeoutMs: number
}

const TOO_LARGE: BodyFailure = { failure: 'too-large' }
const TOO_SLOW: BodyFailure = { failure: 'too-slow' }

/**
 * Reads request bodies as text, within a size and a time limit. A declared Content-Length is checked without
 * reading, and the body is then read whole with `text()`, never through `request.body`: touching that stream makes
 * @hono/node-server build a web stream over the socket, and Deno and Bun leave their direct read path, which cost
 * more than the rest of the relay's answer (Hono's `bodyLimit` touches it). Only a body of unknown length (chunked) is
 * read chunk by chunk, and given up at the limit. A body still arriving at the deadline is given up: one of unknown
 * length is cancelled; `text()` cannot be, so its connection must be closed by the answer.
 * @example const read = createBodyReader({ maxBytes: 8192, timeoutMs: 5000 }); await read(c.req.raw) // { text }
 */
export function createBodyReader({
  maxBytes,
  timeoutMs,
}: BodyLimits): (request: Request) => Promise<BodyRead> {
  const withinDeadline = createDeadlines(timeoutMs)
  return async (request) => {
    const declared = request.headers.get('content-length')
    const whole = declared !== null && !request.headers.has('transfer-encoding')
    if (whole && Number(declared) > maxBytes) return TOO_LARGE
    const reader = whole ? undefined : request.body?.getReader()
    if (!whole && reader === undefined) return { text: '' }
    try {
      const text = await withinDeadline(reader === undefined ? request.text() : readChunks(reader, maxBytes))
      if (text === TIMED_OUT) {
        reader?.cancel().catch(() => {})
        return TOO_SLOW
      }
      return text === undefined ? TOO_LARGE : { text }
    } catch (error) {
      // Only the body's stream can fail here, and it fails when the client closes the connection or breaks framing:
      // Node says `Error: aborted`, Deno `BadResource` or `Http: unexpected EOF`, Bun `AbortError`.
      return {
        failure: 'aborted',
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      }
    }
  }
}

/** The body's text, or undefined (and the rest cancelled) once it is longer than `maxBytes`. */
async function readChunks(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  maxBytes: number,
): Promise<string | undefined> {
  const decoder = new TextDecoder()
  let text = ''
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return text + decoder.decode()
    size += value.byteLength
    if (size > maxBytes) {
      await reader.cancel()
      return undefined
    }
    text += decoder.decode(value, { stream: true })
  }
}
