import { type HttpClient, OutboundHttpError } from '../runtime/http-client.ts'
import type { UpstreamEvent } from './sanitize.ts'

/** What became of one send: only `retry` means the event surely did not arrive and may be sent again. */
export type SendOutcome = 'forwarded' | 'dropped' | 'rejected' | 'failed' | 'retry'

/**
 * Why a send did not deliver, in words safe for a log line: an answer's status, or the port's own message for a
 * connection that failed (never the URL, the event or the visitor).
 */
export type SendFailure =
  | { readonly reason: 'status'; readonly status: number }
  | { readonly reason: 'timeout' | 'connect-timeout'; readonly timeoutMs: number }
  | { readonly reason: 'refused' | 'connection'; readonly error: string }

export interface SendResult {
  readonly outcome: SendOutcome
  /** Set unless Plausible took the event (forwarded, or dropped as a bot's). */
  readonly failure?: SendFailure
}

export interface Visitor {
  /** The browser's User-Agent, verbatim: Plausible derives the visitor and device from it. */
  readonly userAgent: string
  /** The resolved client address, the only one Plausible is told. */
  readonly ip: string
}

export interface PlausibleClient {
  send(event: UpstreamEvent, visitor: Visitor): Promise<SendResult>
}

/**
 * How sends get their timeout: `shared` signals (see `sharedTimeouts`), or one `per-send`, where a signal belongs to
 * the request that made it and fails a send of any other (workerd).
 */
export type TimeoutSignals = 'shared' | 'per-send'

export interface PlausibleClientOptions {
  /** The central Plausible server; events go to `<url>/api/event` and nowhere else. */
  readonly url: string
  readonly timeoutMs: number
  readonly http: HttpClient
  readonly signals: TimeoutSignals
}

/**
 * Abort signals shared by every send started in the same tenth of the timeout, each firing one tenth late: a send
 * is aborted between `timeoutMs` and 1.1 × `timeoutMs` after it started. A timer per send (`AbortSignal.timeout`)
 * added 2.5 ms (Deno) to 5 ms (Bun) to the p99 of the answers to browsers at 1,000 events/s.
 */
function sharedTimeouts(timeoutMs: number): () => AbortSignal {
  const slotMs = Math.max(1, Math.ceil(timeoutMs / 10))
  let slotEnds = Number.NEGATIVE_INFINITY
  let signal: AbortSignal | undefined
  return () => {
    const now = performance.now()
    if (signal === undefined || now >= slotEnds) {
      slotEnds = now + slotMs
      signal = AbortSignal.timeout(timeoutMs + slotMs)
    }
    return signal
  }
}

/** The port rejects with its own errors only; anything else is a fault whose message may say too much: its name only. */
const unknownFailure = (error: unknown): SendFailure => ({
  reason: 'connection',
  error: error instanceof Error ? `the request failed (${error.name})` : 'the request failed',
})

/**
 * Sends events to Plausible's Events API with headers built from scratch: no cookie, authorization or
 * client-supplied address ever passes. Never throws.
 * @example await createPlausibleClient({ url: 'https://plausible.example.com', timeoutMs: 5000, http, signals: 'shared' }).send(event, visitor)
 */
export function createPlausibleClient({
  url,
  timeoutMs,
  http,
  signals,
}: PlausibleClientOptions): PlausibleClient {
  const endpoint = `${url.replace(/\/+$/, '')}/api/event`
  const timeoutSignal =
    signals === 'shared' ? sharedTimeouts(timeoutMs) : () => AbortSignal.timeout(timeoutMs)
  return {
    async send(event, visitor) {
      try {
        const { status, headers } = await http.send({
          method: 'POST',
          url: endpoint,
          headers: {
            'content-type': 'application/json',
            'user-agent': visitor.userAgent,
            // Plausible takes the first of X-Plausible-IP, CF-Connecting-IP, B-Forwarded-For, X-Forwarded-For
            // (lib/plausible_web/remote_ip.ex): a CDN in front of it would otherwise name the relay as the visitor.
            'x-plausible-ip': visitor.ip,
            'x-forwarded-for': visitor.ip,
          },
          body: JSON.stringify(event),
          signal: timeoutSignal(),
        })
        // Plausible answers 202 with `x-plausible-dropped` for events it discards (bots, headless browsers).
        if (status === 202 || status === 200)
          return { outcome: headers.has('x-plausible-dropped') ? 'dropped' : 'forwarded' }
        const failure = { reason: 'status', status } as const
        if (status === 429 || status === 503) return { outcome: 'retry', failure }
        return { outcome: status === 400 ? 'rejected' : 'failed', failure }
      } catch (error) {
        if (!(error instanceof OutboundHttpError))
          return { outcome: 'failed', failure: unknownFailure(error) }
        // A timeout or a reset may come after Plausible stored the event: sending again could count it twice. A
        // connection refused, or not made in time, carried nothing.
        if (error.failure === 'refused')
          return { outcome: 'retry', failure: { reason: 'refused', error: error.message } }
        if (error.failure === 'connect-timeout')
          return { outcome: 'retry', failure: { reason: 'connect-timeout', timeoutMs } }
        const failure: SendFailure =
          error.failure === 'aborted'
            ? { reason: 'timeout', timeoutMs }
            : { reason: 'connection', error: error.message }
        return { outcome: 'failed', failure }
      }
    },
  }
}
