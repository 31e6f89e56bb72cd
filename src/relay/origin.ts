export interface OriginPolicy {
  /** Origins accepted whatever the request's host, for setups where no proxy names the host the browser used. */
  readonly allowedOrigins: readonly string[]
}

export interface RequestHosts {
  /** The request's own `Host` (what the server was addressed as; a reverse proxy usually rewrites it). */
  readonly host: string
  /** Whether the peer is a trusted proxy, whose `X-Forwarded-Host` and `Forwarded: host=` are believed. */
  readonly fromTrustedProxy: boolean
  readonly forwardedHost: string | undefined
  readonly forwarded: string | undefined
}

/**
 * Whether a page of `origin` may send events here: the page's host is the one the browser addressed (the
 * request's `Host`, or the host a trusted proxy names), or the origin is configured.
 * @example isOwnOrigin('https://panel.example.com', { host: '10.0.0.5:8080', fromTrustedProxy: true, forwardedHost: 'panel.example.com', forwarded: undefined }, { allowedOrigins: [] }) // true
 */
export function isOwnOrigin(origin: string, hosts: RequestHosts, policy: OriginPolicy): boolean {
  const page = URL.parse(origin)
  if (page === null) return false
  if (policy.allowedOrigins.includes(page.origin)) return true
  const named = hosts.fromTrustedProxy
    ? [hosts.host, firstValue(hosts.forwardedHost), forwardedHostOf(hosts.forwarded)]
    : [hosts.host]
  // Parsed with the page's scheme, so `panel.example.com:443` and `panel.example.com` are the same https host.
  return named.some(
    (host) => host !== undefined && URL.parse(`${page.protocol}//${host}`)?.host === page.host,
  )
}

/** A chain of proxies appends; the first value is the host the browser addressed. */
const firstValue = (header: string | undefined): string | undefined => header?.split(',')[0]?.trim()

/** RFC 7239: `Forwarded: for=203.0.113.9;host=panel.example.com;proto=https, for=...`, first element. */
function forwardedHostOf(header: string | undefined): string | undefined {
  const first = header?.split(',')[0]
  const match = first === undefined ? null : /(?:^|;)\s*host=("(?:[^"\\]|\\.)*"|[^;,\s]*)/i.exec(first)
  return match?.[1]?.replace(/^"|"$/g, '').replace(/\\(.)/g, '$1')
}
