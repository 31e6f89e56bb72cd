// The outbound HTTP port: how the module reaches servers outside the installation (the central Plausible, the
// central monitoring system). Node sends with undici, Deno, Bun and edge runtimes with their own `fetch`
// (src/adapter/); the features only see this.
import { FailureError } from './failure-error.ts'

/** One request. Nothing is added to it but what HTTP needs (`Host`, `Content-Length`, and the runtime's framing). */
export interface OutboundRequest {
  readonly method: 'GET' | 'POST' | 'PUT'
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly body?: string | Uint8Array<ArrayBuffer>
  /** Ends the request when it aborts, and closes its connection; one still connecting is closed by then too. */
  readonly signal: AbortSignal
}

/** An answer's headers, by name in any case. */
export interface OutboundHeaders {
  get(name: string): string | null
  has(name: string): boolean
}

/**
 * The answer's status and headers, what the features act on; its body has been read and thrown away, so the
 * connection can carry the next request. Redirects are not followed.
 */
export interface OutboundResponse {
  readonly status: number
  readonly headers: OutboundHeaders
}

/**
 * Why no answer came: `refused` means the connection was refused and nothing was sent (safe to send again);
 * `connect-timeout`, no connection was made before the request's signal fired or the connect timeout ended, so
 * nothing was sent either (only a client that knows when a request goes out says so: undici; `fetch` cannot tell
 * and says `aborted`); `aborted`, the request's signal fired; `failed`, anything else (reset, unknown host,
 * certificate, proxy), after which the server may or may not have received the request.
 */
export type OutboundFailure = 'refused' | 'connect-timeout' | 'aborted' | 'failed'

/**
 * An outbound request got no answer. The message names the failure and a code, never the URL or its credentials.
 * @example new OutboundHttpError('refused', 'connection refused (ECONNREFUSED)')
 */
export class OutboundHttpError extends FailureError<OutboundFailure> {
  override readonly name = 'OutboundHttpError'
}

/** Sends requests over connections it keeps open between them (each feature opens its own). */
export interface HttpClient {
  /** Sends one request; rejects with an `OutboundHttpError` when no answer came. */
  send(request: OutboundRequest): Promise<OutboundResponse>
  /** Closes the connections it keeps; requests still in flight are ended. */
  close(): Promise<void>
}

/**
 * Bodies past this size are not read to their end: the answer counts by its status and its connection is closed.
 * Plausible answers `ok`; a proxy's or a receiver's error page is a few kilobytes.
 */
export const MAX_RESPONSE_BYTES = 1024 * 1024

/**
 * The length a `Content-Length` value declares, or undefined for none or one that is not a plain number.
 * @example declaredLength(response.headers.get('content-length')) // 2 for "2"
 */
export const declaredLength = (value: string | null): number | undefined =>
  value !== null && /^\d+$/.test(value) ? Number(value) : undefined

export interface HttpClientOptions {
  /**
   * Longest a connection may take to open, the proxy's included. Set it to the requests' timeout: a runtime that
   * cannot cancel a connection attempt with its request still closes it by then.
   */
  readonly connectTimeoutMs: number
}

/** Opens a client; Node keeps a pool of connections per client, Deno, Bun and edge runtimes share theirs. */
export type OpenHttpClient = (options: HttpClientOptions) => HttpClient
