import { declaredLength, MAX_RESPONSE_BYTES } from '../../runtime/http-client.ts'

/**
 * Reads an answer's body to throw it away, so its connection can carry the next request. Past
 * `MAX_RESPONSE_BYTES` it lets go instead, which ends the body and closes the connection: a 2xx counts by its
 * status, and a body too large to be an acknowledgement is not worth the bytes. Never rejects: once the status
 * came, a body cut short (reset, timeout) changes nothing about the answer. A body of declared length is read in
 * one call, the runtime's fast path: reading it chunk by chunk cost Deno 80 µs more per answer.
 * @example await discardBody(await fetch(url))
 */
export async function discardBody(response: Response): Promise<void> {
  const chunks = response.body
  if (chunks === null) return
  const declared = declaredLength(response.headers.get('content-length'))
  try {
    if (declared !== undefined && declared <= MAX_RESPONSE_BYTES) {
      await response.arrayBuffer()
      return
    }
    // Leaving the loop cancels the body, and with it the connection; a body declared too large is let go at its
    // first chunk.
    let size = 0
    for await (const chunk of chunks) {
      size += chunk.byteLength
      if (declared !== undefined || size > MAX_RESPONSE_BYTES) break
    }
  } catch {
    // The status and headers are in; the rest of the body is the server's affair.
  }
}
