import { MAX_RESPONSE_BYTES, OutboundHttpError } from '../runtime/http-client.ts'

/**
 * Reads an answer's body whole, giving up past `MAX_RESPONSE_BYTES` (the caller closes the connection then).
 * @example const body = await readLimited(response.body)
 */
export async function readLimited(chunks: AsyncIterable<Uint8Array> | null): Promise<Uint8Array> {
  if (chunks === null) return new Uint8Array(0)
  const parts: Uint8Array[] = []
  let size = 0
  for await (const chunk of chunks) {
    size += chunk.byteLength
    if (size > MAX_RESPONSE_BYTES)
      throw new OutboundHttpError('failed', `the answer is larger than ${MAX_RESPONSE_BYTES} bytes`)
    parts.push(chunk)
  }
  if (parts.length === 1) return parts[0] as Uint8Array
  const body = new Uint8Array(size)
  let offset = 0
  for (const part of parts) {
    body.set(part, offset)
    offset += part.byteLength
  }
  return body
}
