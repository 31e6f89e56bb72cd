/**
 * Reads a request body as text, or answers undefined when it is longer than `maxBytes`. A declared
 * Content-Length is checked without reading, and the body is then read whole with `text()`, never through
 * `request.body`: touching that stream makes @hono/node-server build a web stream over the socket, and Deno and Bun
 * leave their direct read path, which cost more than the rest of the relay's answer (Hono's `bodyLimit` touches
 * it). Only a body of unknown length (chunked) is read chunk by chunk, and given up at the limit.
 * @example const text = await readTextWithin(c.req.raw, 8192) // undefined: answer 413
 */
export async function readTextWithin(request: Request, maxBytes: number): Promise<string | undefined> {
  const declared = request.headers.get('content-length')
  if (declared !== null && !request.headers.has('transfer-encoding')) {
    return Number(declared) > maxBytes ? undefined : request.text()
  }
  const reader = request.body?.getReader()
  if (reader === undefined) return ''
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
