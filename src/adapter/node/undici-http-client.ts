import type { Socket } from 'node:net'
import type { buildConnector, Dispatcher } from 'undici'
import type { ProxySettings } from '../../config/proxy.ts'
import type {
  HttpClient,
  HttpClientOptions,
  OpenHttpClient,
  OutboundResponse,
} from '../../runtime/http-client.ts'
import { loadOptional } from '../../runtime/optional-package.ts'
import { createUndiciSend } from './undici-send.ts'

interface Dispatchers {
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
  return { http, https }
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
    const send = createUndiciSend()
    return {
      async send(request): Promise<OutboundResponse> {
        const { http, https } = await load()
        return send(request.url.startsWith('https:') ? https : http, request)
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
