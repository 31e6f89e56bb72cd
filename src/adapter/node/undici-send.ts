import type { Dispatcher } from 'undici'
import {
  MAX_RESPONSE_BYTES,
  type OutboundHeaders,
  OutboundHttpError,
  type OutboundRequest,
  type OutboundResponse,
} from '../../runtime/http-client.ts'
import { outboundFailure } from '../shared/outbound-failure.ts'

/** What a signal that fires ends: every send in flight under it. */
type Abort = (reason: Error) => void

/**
 * One abort listener per signal, shared by the sends under it: the relay shares one signal between all the sends
 * of a tenth of its timeout, and a listener per send (added and removed again) was most of the cost of a signal.
 */
const watched = new WeakMap<AbortSignal, Set<Abort>>()

const reasonOf = (signal: AbortSignal): Error =>
  signal.reason instanceof Error ? signal.reason : new Error('the request was aborted')

function watch(signal: AbortSignal, abort: Abort): () => unknown {
  let aborts = watched.get(signal)
  if (aborts === undefined) {
    const fresh = new Set<Abort>()
    watched.set(signal, fresh)
    signal.addEventListener('abort', () => {
      for (const each of fresh) each(reasonOf(signal))
    })
    aborts = fresh
  }
  aborts.add(abort)
  const own = aborts
  return () => own.delete(abort)
}

/**
 * undici's header object (lower-case names, repeated headers as arrays) read as the port reads headers; building a
 * `Headers` from it cost Node about 10 µs per answer.
 */
function headersOf(raw: Readonly<Record<string, string | string[] | undefined>>): OutboundHeaders {
  const get = (name: string): string | null => {
    const value = raw[name.toLowerCase()]
    return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value
  }
  return { get, has: (name) => get(name) !== null }
}

/** The URL's origin and path, computed once for the URL a client sends to again and again. */
function createTargets(): (url: string) => { readonly origin: string; readonly path: string } {
  let last: { readonly url: string; readonly origin: string; readonly path: string } | undefined
  return (url) => {
    if (last?.url !== url) {
      const { origin, pathname, search } = new URL(url)
      last = { url, origin, path: `${pathname}${search}` }
    }
    return last
  }
}

/**
 * Sends with undici's `dispatch` and a handler of its own: undici's `request` wraps every answer in a stream, a
 * promise and a listener on the signal, which cost Node about as much again as sending (bench/HISTORY.md,
 * fourteenth session). The answer resolves once its body is read to its end, so its connection can carry the next
 * request, or once it is let go: past `MAX_RESPONSE_BYTES`, which closes the connection. Once the status came,
 * nothing that happens to the body changes the answer.
 * @example const send = createUndiciSend(); await send(agent, request)
 */
export function createUndiciSend(): (
  dispatcher: Dispatcher,
  request: OutboundRequest,
) => Promise<OutboundResponse> {
  const targetOf = createTargets()
  return (dispatcher, { method, url, headers, body, signal }) =>
    new Promise((resolve, reject) => {
      let controller: Dispatcher.DispatchController | undefined
      // Whether undici handed the request to a connected socket (onRequestStart, called from
      // lib/dispatcher/client-h1.js `writeH1` before the first byte is written): one that failed before never left.
      let left = false
      let answer: OutboundResponse | undefined
      let received = 0
      let settled = false
      let unwatch: () => unknown = () => undefined

      const answered = (): void => {
        if (settled || answer === undefined) return
        settled = true
        unwatch()
        resolve(answer)
      }
      const failed = (error: unknown): void => {
        if (answer !== undefined) {
          answered()
          return
        }
        if (settled) return
        settled = true
        unwatch()
        const failure = outboundFailure(error, signal)
        // A timeout, the request's or the connection's own (connectWithin), that came before the request left.
        const timedOut =
          failure.failure === 'aborted' || (error as { code?: unknown }).code === 'UND_ERR_CONNECT_TIMEOUT'
        reject(
          timedOut && !left
            ? new OutboundHttpError('connect-timeout', 'no connection was made within the timeout')
            : failure,
        )
      }
      const letGo = (reason: Error): void => {
        answered()
        controller?.abort(reason)
      }
      // undici notes an abort that comes while its request waits for a connection and ends the request only once
      // the connection attempt ends; the caller learns at once, and the request is ended before it is written.
      const abort: Abort = (reason) => {
        failed(reason)
        controller?.abort(reason)
      }

      if (signal.aborted) {
        failed(reasonOf(signal))
        return
      }
      unwatch = watch(signal, abort)
      const { origin, path } = targetOf(url)
      dispatcher.dispatch(
        { origin, path, method, headers, ...(body !== undefined && { body }) },
        {
          onRequestStart(started) {
            controller = started
            left = true
            if (signal.aborted) started.abort(reasonOf(signal))
          },
          onResponseStart(_controller, status, raw) {
            // An interim answer (103 Early Hints); the final one follows.
            if (status < 200) return
            answer = { status, headers: headersOf(raw) }
            const declared = answer.headers.get('content-length')
            if (declared !== null && /^\d+$/.test(declared) && Number(declared) > MAX_RESPONSE_BYTES)
              letGo(new Error('the body is too large to read'))
          },
          onResponseData(_controller, chunk) {
            received += chunk.byteLength
            if (received > MAX_RESPONSE_BYTES) letGo(new Error('the body is too large to read'))
          },
          onResponseEnd: answered,
          onResponseError: (_controller, error) => failed(error),
        },
      )
    })
}
