import { type HttpClient, OutboundHttpError } from '../runtime/http-client.ts'
import type { Attempt } from './delivery.ts'
import { retryAfterMs } from './retry-after.ts'

export interface Receiver {
  /** The receiver's URL without credentials: what logs, metrics and the preview may show. */
  readonly target: string
  send(body: Uint8Array<ArrayBuffer>): Promise<Attempt & { readonly status?: number }>
}

/**
 * Basic credentials as RFC 7617 §2.1 has them with `charset="UTF-8"`, and as Go's `Request.BasicAuth` (Prometheus)
 * reads them: the UTF-8 bytes in base64. `btoa` alone takes Latin-1, and throws beyond it.
 */
function base64Utf8(text: string): string {
  return btoa(Array.from(new TextEncoder().encode(text), (byte) => String.fromCharCode(byte)).join(''))
}

/**
 * A remote write receiver over the module's outbound HTTP client, with the headers remote write 1.0 requires, and
 * authentication by bearer token or by the URL's user and password (sent as basic auth, never shown).
 * @example await createReceiver({ url, token, userAgent: 'meshstack-telemetry/7.7.7', timeoutMs: 10_000, http }).send(body)
 */
export function createReceiver({
  url,
  token,
  userAgent,
  timeoutMs,
  http,
}: {
  readonly url: string
  readonly token?: string | undefined
  readonly userAgent: string
  readonly timeoutMs: number
  readonly http: HttpClient
}): Receiver {
  const parsed = new URL(url)
  const basic =
    parsed.username === ''
      ? undefined
      : base64Utf8(`${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`)
  parsed.username = ''
  parsed.password = ''
  const target = parsed.href
  const headers: Record<string, string> = {
    'content-type': 'application/x-protobuf',
    'content-encoding': 'snappy',
    'x-prometheus-remote-write-version': '0.1.0',
    'user-agent': userAgent,
    ...(token !== undefined && { authorization: `Bearer ${token}` }),
    ...(basic !== undefined && { authorization: `Basic ${basic}` }),
  }
  return {
    target,
    async send(body) {
      try {
        const { status, headers: answer } = await http.send({
          method: 'POST',
          url: target,
          headers,
          body,
          signal: AbortSignal.timeout(timeoutMs),
        })
        if (status >= 200 && status < 300) return { outcome: 'sent', status }
        const detail = `the receiver answered ${status}`
        if (status === 429) {
          const afterMs = retryAfterMs(answer.get('retry-after'))
          return { outcome: 'retry', detail, status, ...(afterMs !== undefined && { afterMs }) }
        }
        return status >= 500 ? { outcome: 'retry', detail, status } : { outcome: 'refused', detail, status }
      } catch (error) {
        const detail =
          error instanceof OutboundHttpError
            ? error.failure === 'aborted'
              ? `no answer within ${timeoutMs} ms`
              : error.message
            : String(error)
        return { outcome: 'retry', detail }
      }
    },
  }
}
