import * as v from 'valibot'
import { type Env, readList, readVariables, type Variable } from './environment.ts'
import { isIpAddress } from './fields.ts'
import { ProxyUrlSchema } from './url-fields.ts'

/**
 * Which forward proxy carries outbound requests (to Plausible, to the central monitoring system). Deno's and Bun's
 * `fetch` read the same variables themselves; Node's client is given these settings, so all three send alike.
 */
export interface ProxySettings {
  /** For `http://` targets. */
  readonly httpProxy?: string
  /** For `https://` targets (tunnelled with CONNECT). */
  readonly httpsProxy?: string
  /** Hosts reached directly: a name matches itself and its subdomains; addresses match exactly. */
  readonly noProxy: readonly string[]
}

// The forms all three runtimes read the same way: Deno ignores a port or `*` in NO_PROXY, undici (Node) a range.
const NO_PROXY =
  'a comma-separated list of host names, .domain suffixes and IP addresses (no ports, ranges or "*": Node, Deno and Bun do not all understand them)'
const HOST_NAME = /^\.?(?:\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i
const NoProxyEntrySchema = v.pipe(
  v.string(NO_PROXY),
  v.check((entry) => isIpAddress(entry.replace(/^\[(.*)\]$/, '$1')) || HOST_NAME.test(entry), NO_PROXY),
)

/** The proxy variables as read (`ALL_PROXY` standing in for both), validated and resolved to one setting per scheme. */
export const ProxySchema = v.pipe(
  v.object({
    httpProxy: v.optional(ProxyUrlSchema),
    httpsProxy: v.optional(ProxyUrlSchema),
    allProxy: v.optional(ProxyUrlSchema),
    noProxy: v.optional(v.array(NoProxyEntrySchema, NO_PROXY), []),
  }),
  v.forward(
    v.partialCheck(
      [['allProxy'], ['httpProxy'], ['httpsProxy']],
      ({ allProxy, httpProxy, httpsProxy }) =>
        allProxy === undefined || (httpProxy === undefined && httpsProxy === undefined),
      'unset when HTTP_PROXY or HTTPS_PROXY is set (Deno lets ALL_PROXY win, Node and Bun the other one)',
    ),
    ['allProxy'],
  ),
  v.transform(({ httpProxy, httpsProxy, allProxy, noProxy }): ProxySettings => {
    const forHttp = httpProxy ?? allProxy
    const forHttps = httpsProxy ?? allProxy
    return {
      ...(forHttp !== undefined && { httpProxy: forHttp }),
      ...(forHttps !== undefined && { httpsProxy: forHttps }),
      noProxy,
    }
  }),
)

/** No proxy: every request goes straight to its server. */
export const DIRECT: ProxySettings = { noProxy: [] }

/** The proxy variables, in both spellings: `HTTP_PROXY` and `http_proxy` must agree when both are set. */
export const PROXY_VARIABLES: readonly Variable[] = [
  {
    name: 'HTTP_PROXY',
    aliases: ['http_proxy'],
    path: 'proxy.httpProxy',
    defaultText: 'unset',
    meaning: 'forward proxy for outbound requests to `http://` servers, e.g. `http://proxy.internal:3128`',
  },
  {
    name: 'HTTPS_PROXY',
    aliases: ['https_proxy'],
    path: 'proxy.httpsProxy',
    defaultText: 'unset',
    meaning: 'forward proxy for outbound requests to `https://` servers (tunnelled with CONNECT)',
  },
  {
    name: 'ALL_PROXY',
    aliases: ['all_proxy'],
    path: 'proxy.allProxy',
    defaultText: 'unset',
    meaning: 'one proxy for both, instead of `HTTP_PROXY` and `HTTPS_PROXY`',
  },
  {
    name: 'NO_PROXY',
    aliases: ['no_proxy'],
    path: 'proxy.noProxy',
    read: readList,
    defaultText: 'unset',
    meaning:
      'comma-separated hosts reached without the proxy: names (each with its subdomains; a leading dot is allowed) and IP addresses',
  },
]

/**
 * Reads the proxy variables as the standalone server does, for an app created in code (`createTelemetryApp`).
 * Throws a `ConfigError` for a setting Node, Deno and Bun would read differently.
 * @example readProxySettings({ HTTPS_PROXY: 'http://proxy.internal:3128' }).httpsProxy
 */
export function readProxySettings(env: Env): ProxySettings {
  const schema = v.object({ proxy: v.optional(ProxySchema, {}) })
  return readVariables(env, PROXY_VARIABLES, schema, { action: 'create the telemetry app' }).proxy
}
