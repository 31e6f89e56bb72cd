import type { Dispatcher } from 'undici'
import {
  declaredLength,
  MAX_RESPONSE_BYTES,
  type OutboundHeaders,
  OutboundHttpError,
  type OutboundRequest,
  type OutboundResponse,
} from '../../runtime/http-client.ts'
import { outboundFailure } from '../shared/outbound-failure.ts'

/** What a signal that fires ends: a send in flight under it. */
interface Abortable {
  abort(reason: Error): void
}

const reasonOf = (signal: AbortSignal): Error =>
  signal.reason instanceof Error ? signal.reason : new Error('the request was aborted')

/**
 * The sends in flight under each signal, with one listener per signal: the relay shares one signal between all the
 * sends of a tenth of its timeout, and a listener per send (added and removed again) was most of a signal's cost.
 */
function createSignalWatch(): (signal: AbortSignal) => Set<Abortable> {
  const watched = new WeakMap<AbortSignal, Set<Abortable>>()
  return (signal) => {
    let sends = watched.get(signal)
    if (sends === undefined) {
      const fresh = new Set<Abortable>()
      signal.addEventListener('abort', () => {
        for (const send of fresh) send.abort(reasonOf(signal))
      })
      watched.set(signal, fresh)
      sends = fresh
    }
    return sends
  }
}

/**
 * undici's header object (lower-case names, repeated headers as arrays) read as the port reads headers; building a
 * `Headers` from it cost Node about 10 µs per answer.
 */
class UndiciHeaders implements OutboundHeaders {
  constructor(private readonly raw: Readonly<Record<string, string | string[] | undefined>>) {}
  get(name: string): string | null {
    const value = this.raw[name.toLowerCase()]
    return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value
  }
  has(name: string): boolean {
    return this.raw[name.toLowerCase()] !== undefined
  }
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

const tooLarge = (): Error => new Error('the body is too large to read')

/**
 * One request in flight: undici's handler, and the promise's end. One object per send, where closures and a
 * handler literal made eight: the relay sends tens of thousands a second at its peak.
 */
class Sending implements Dispatcher.DispatchHandler, Abortable {
  private controller: Dispatcher.DispatchController | undefined
  /**
   * Whether undici handed the request to a connected socket (onRequestStart, called from
   * lib/dispatcher/client-h1.js `writeH1` before the first byte is written): one that failed before never left.
   */
  private left = false
  private answer: OutboundResponse | undefined
  private received = 0
  private settled = false

  constructor(
    /** The sends in flight under the same signal, this one among them until it ends. */
    private readonly neighbours: Set<Abortable>,
    private readonly signal: AbortSignal,
    private readonly resolve: (answer: OutboundResponse) => void,
    private readonly reject: (error: OutboundHttpError) => void,
  ) {
    neighbours.add(this)
  }

  /**
   * undici notes an abort that comes while its request waits for a connection, and ends the request only once
   * connecting ends: the caller learns at once.
   */
  abort(reason: Error): void {
    this.failed(reason)
    this.controller?.abort(reason)
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller
    this.left = true
    // The caller already learnt of it; the request is ended before it is written.
    if (this.signal.aborted) controller.abort(reasonOf(this.signal))
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    status: number,
    raw: Record<string, string | string[]>,
  ): void {
    // An interim answer (103 Early Hints); the final one follows.
    if (status < 200) return
    const headers = new UndiciHeaders(raw)
    this.answer = { status, headers }
    if ((declaredLength(headers.get('content-length')) ?? 0) > MAX_RESPONSE_BYTES) this.letGo()
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.received += chunk.byteLength
    if (this.received > MAX_RESPONSE_BYTES) this.letGo()
  }

  onResponseEnd(): void {
    this.answered()
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.failed(error)
  }

  /** Past `MAX_RESPONSE_BYTES` the answer counts by its status, and its connection is closed. */
  private letGo(): void {
    this.answered()
    this.controller?.abort(tooLarge())
  }

  private answered(): void {
    if (this.settled || this.answer === undefined) return
    this.settled = true
    this.neighbours.delete(this)
    this.resolve(this.answer)
  }

  private failed(error: unknown): void {
    // Once the status came, a body cut short (reset, timeout) changes nothing about the answer.
    if (this.answer !== undefined) {
      this.answered()
      return
    }
    if (this.settled) return
    this.settled = true
    this.neighbours.delete(this)
    const failure = outboundFailure(error, this.signal)
    // A timeout, the request's or the connection's own (connectWithin), that came before the request left.
    const timedOut =
      failure.failure === 'aborted' || (error as { code?: unknown }).code === 'UND_ERR_CONNECT_TIMEOUT'
    this.reject(
      timedOut && !this.left
        ? new OutboundHttpError('connect-timeout', 'no connection was made within the timeout')
        : failure,
    )
  }
}

/**
 * Sends with undici's `dispatch` and a handler of its own: undici's `request` wraps every answer in a stream, a
 * promise and a listener on the signal, which cost Node about as much again as sending (bench/HISTORY.md,
 * fourteenth session). The answer resolves once its body is read to its end, so its connection can carry the next
 * request, or once it is let go: past `MAX_RESPONSE_BYTES`, which closes the connection.
 * @example const send = createUndiciSend(); await send(agent, request)
 */
export function createUndiciSend(): (
  dispatcher: Dispatcher,
  request: OutboundRequest,
) => Promise<OutboundResponse> {
  const targetOf = createTargets()
  const sendsUnder = createSignalWatch()
  return (dispatcher, { method, url, headers, body, signal }) =>
    new Promise((resolve, reject) => {
      const sending = new Sending(sendsUnder(signal), signal, resolve, reject)
      if (signal.aborted) return sending.abort(reasonOf(signal))
      const { origin, path } = targetOf(url)
      dispatcher.dispatch({ origin, path, method, headers, ...(body !== undefined && { body }) }, sending)
    })
}
