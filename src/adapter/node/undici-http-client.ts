import { setMaxListeners } from 'node:events'
import type { Socket } from 'node:net'
import type { buildConnector, Dispatcher } from 'undici'
import type { ProxySettings } from '../../config/proxy.ts'
import {
  type HttpClient,
  type HttpClientOptions,
  type OpenHttpClient,
  type OutboundHeaders,
  OutboundHttpError,
  type OutboundResponse,
} from '../../runtime/http-client.ts'
import { loadOptional } from '../../runtime/optional-package.ts'
import { discardBody } from '../shared/discard-body.ts'
import { outboundFailure } from '../shared/outbound-failure.ts'
import { type Departure, noteDeparture } from './departure.ts'

interface Dispatchers {
  readonly request: typeof import('undici').request
  readonly http: Dispatcher
  readonly https: Dispatcher
}

/**
 * undici's keep-alive pools on Node: a connection is reused while the server's `Keep-Alive: timeout` hint allows
 * (less a margin), and the forward proxy is the one `ProxySettings` names. HTTPS goes through CONNECT; plain HTTP
 * is forwarded as Deno and Bun do, which proxies that allow CONNECT to port 443 only (tinyproxy's and squid's
 * defaults) accept. undici is loaded on the first request, so a server that sends nothing never loads it.
 */
function createDispatchers(
  undici: typeof import('undici'),
  proxy: ProxySettings,
  { connectTimeoutMs }: HttpClientOptions,
): Dispatchers {
  const timeout = { timeout: connectTimeoutMs }
  const options = {
    connect: connectWithin(undici, connectTimeoutMs),
    proxyTls: timeout,
    requestTls: timeout,
    proxyTunnel: false,
  }
  const noProxy = proxy.noProxy.join(',')
  // One proxy per scheme, as Deno and Bun read them: undici's own reading would send https:// through
  // HTTP_PROXY when HTTPS_PROXY is unset.
  const through = (uri: string | undefined): Dispatcher =>
    uri === undefined
      ? new undici.Agent(options)
      : new undici.EnvHttpProxyAgent({ ...options, httpProxy: uri, httpsProxy: uri, noProxy })
  const http = through(proxy.httpProxy)
  const https = proxy.httpsProxy === proxy.httpProxy ? http : through(proxy.httpsProxy)
  return { request: undici.request, http: http.compose(noteDeparture), https: https.compose(noteDeparture) }
}

/**
 * undici's own connector, with the attempt ended by a plain timer: undici's connect timeout ticks about once a
 * second, so a connection attempt of a timed-out request would outlive it by up to a second.
 */
function connectWithin(undici: typeof import('undici'), timeoutMs: number): buildConnector.connector {
  // It returns the socket it opens, which its published type leaves out.
  const connect = undici.buildConnector({ timeout: 0 }) as (
    ...args: Parameters<buildConnector.connector>
  ) => Socket
  return (options, callback) => {
    const socket = connect(options, (...result) => {
      clearTimeout(timer)
      callback(...result)
    })
    const timer = setTimeout(() => socket.destroy(new undici.errors.ConnectTimeoutError()), timeoutMs)
  }
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

/**
 * undici takes note of an abort that comes while its request waits for a connection, and rejects only once the
 * connection attempt ends (by its connect timeout, the request's own). The caller learns at once.
 */
function settledByAbort<T>(sending: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const abort = () => reject(signal.reason)
    signal.addEventListener('abort', abort, { once: true })
    sending.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort))
  })
}

/**
 * Loads undici, an optional peer: the first send does, or Node's standalone server before it listens.
 * @example const { request } = await loadUndici()
 */
export function loadUndici(): Promise<typeof import('undici')> {
  return loadOptional(
    () => import('undici'),
    ['undici'],
    'outbound HTTP on Node (plausible.enabled, remoteWrite.url)',
  )
}

/**
 * Opens clients that send with undici 7 through the proxy `proxy` names.
 * @example const http = undiciHttpClients(DIRECT)({ connectTimeoutMs: 5000 })
 */
export function undiciHttpClients(proxy: ProxySettings): OpenHttpClient {
  return (options): HttpClient => {
    let loading: Promise<Dispatchers> | undefined
    // A creation that failed is forgotten: the next send tries again instead of failing as this one did forever.
    const load = () => {
      loading ??= loadUndici()
        .then((undici) => createDispatchers(undici, proxy, options))
        .catch((error: unknown) => {
          loading = undefined
          throw error
        })
      return loading
    }
    return {
      async send({ method, url, headers, body, signal }): Promise<OutboundResponse> {
        const { request, http, https } = await load()
        // undici listens on the signal once per request, and callers may share one signal between many (the relay
        // does): past 10 at a time Node would warn of a leak, though every request removes its listener.
        setMaxListeners(0, signal)
        const departure: Departure = { left: false }
        try {
          const dispatcher = url.startsWith('https:') ? https : http
          const response = await settledByAbort(
            request(url, {
              method,
              headers,
              ...(body !== undefined && { body }),
              signal,
              dispatcher,
              opaque: departure,
            }),
            signal,
          )
          const answer = headersOf(response.headers)
          await discardBody(answer.get('content-length'), response.body, response.body)
          return { status: response.statusCode, headers: answer }
        } catch (error) {
          const failure = outboundFailure(error, signal)
          // A timeout, the request's or the connection's own (connectWithin), that came before the request left.
          const timedOut =
            failure.failure === 'aborted' || (error as { code?: unknown }).code === 'UND_ERR_CONNECT_TIMEOUT'
          if (timedOut && !departure.left)
            throw new OutboundHttpError('connect-timeout', 'no connection was made within the timeout')
          throw failure
        }
      },
      async close() {
        const dispatchers = await loading?.catch(() => undefined)
        if (dispatchers === undefined) return
        const { http, https } = dispatchers
        await Promise.all([...new Set([http, https])].map((dispatcher) => dispatcher.destroy()))
      },
    }
  }
}
