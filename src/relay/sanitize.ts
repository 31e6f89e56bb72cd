import { type BrowserEvent, MAX_URL_BYTES, type Revenue } from './event.ts'
import { fitsInBytes, MAX_PROP_VALUE_BYTES, type PropValue } from './props.ts'
import {
  type Found,
  IDENTIFIER_PLACEHOLDER,
  isIdentifier,
  isSecretName,
  PLACEHOLDERS,
  type ScrubKind,
  scrub,
} from './scrub.ts'

/**
 * What may leave: the event Plausible receives, rebuilt from the browser's event, in the long keys Plausible
 * reads (`v`, `sd` and `e` have no long form). Optional fields are left out rather than sent at their default.
 */
export interface UpstreamEvent {
  readonly name: string
  readonly url: string
  readonly domain: string
  readonly referrer: string | null
  readonly props?: Readonly<Record<string, PropValue>>
  readonly hashMode?: 1
  readonly interactive?: false
  readonly revenue?: Revenue
  readonly v?: number
  readonly sd?: number
  readonly e?: number
}

export interface SanitizePolicy {
  /** The Plausible site: the only domain accepted, and the host of every URL sent. */
  readonly domain: string
  /** Event names accepted, each with the props it may carry; anything else is refused. */
  readonly events: Readonly<Record<string, readonly string[]>>
  /** Route templates such as `/workspaces/:workspace/projects/:project`: matching paths are sent as the template. */
  readonly routes: readonly string[]
  /** Query parameters kept (campaign tags); prefixes end with `*`. */
  readonly queryAllowlist: readonly string[]
}

/** The fields of what is sent that scrubbing looks at, as the scrubbed-values metric names them. */
export type ScrubbedField = 'url' | 'referrer' | 'props'

/** One value replaced: where, and what it was. */
export interface Scrubbed {
  readonly field: ScrubbedField
  readonly kind: ScrubKind
}

export type Sanitized =
  | { readonly ok: true; readonly event: UpstreamEvent; readonly scrubbed: readonly Scrubbed[] }
  | { readonly ok: false; readonly field: string; readonly problem: string }

/**
 * Applies the privacy rules: domain pinned, URL rebuilt from scheme, the site's host and a path whose identifiers
 * are replaced, query kept only for allowlisted keys, fragment dropped (or, in hash mode, sanitised like a path),
 * referrer reduced to its origin (or dropped when it is the site itself), props limited to the event's allowlist;
 * e-mail addresses and secrets in what is left replaced by placeholders (scrub.ts), each one listed in the result.
 * Plausible's limits are checked again on what is sent: rebuilding and scrubbing can make a value longer.
 * @example sanitizeEvent(event, { domain: 'meshpanel.example.com', events: { pageview: [] }, routes: [], queryAllowlist: ['utm_*'] })
 */
export function sanitizeEvent(event: BrowserEvent, policy: SanitizePolicy): Sanitized {
  if (!event.domains.includes(policy.domain))
    return { ok: false, field: 'domain', problem: 'must be the domain this relay serves' }
  const allowedProps = Object.hasOwn(policy.events, event.name) ? policy.events[event.name] : undefined
  if (allowedProps === undefined)
    return { ok: false, field: 'name', problem: 'must be an event this relay accepts' }
  const scrubbed: Scrubbed[] = []
  const foundIn =
    (field: ScrubbedField): Found =>
    (kind) =>
      scrubbed.push({ field, kind })
  const url = rebuiltUrl(event, policy, foundIn('url'))
  if (!fitsInBytes(url, MAX_URL_BYTES))
    return {
      ok: false,
      field: 'url',
      problem: `must be at most ${MAX_URL_BYTES} bytes once rebuilt (percent-encoded, identifiers and secrets replaced), Plausible's limit`,
    }
  const found = foundIn('props')
  const props = Object.fromEntries(
    Object.entries(event.props)
      .filter(([key]) => allowedProps.includes(key))
      .map(([key, value]) => [
        key,
        typeof value === 'string' || isSecretName(key) ? scrubValue(key, String(value), found) : value,
      ]),
  )
  const tooLong = Object.entries(props).find(([, value]) => !fitsInBytes(String(value), MAX_PROP_VALUE_BYTES))
  if (tooLong !== undefined)
    return {
      ok: false,
      field: `props.${tooLong[0]}`,
      problem: `must be at most ${MAX_PROP_VALUE_BYTES} bytes once scrubbed (placeholders can be longer than what they replace), Plausible's limit`,
    }
  const { engagement } = event
  return {
    ok: true,
    scrubbed,
    event: {
      name: event.name,
      url,
      domain: policy.domain,
      referrer: referrerOrigin(event.referrer, event.url, foundIn('referrer')),
      ...(Object.keys(props).length > 0 && { props }),
      ...(event.hashMode && { hashMode: 1 }),
      ...(!event.interactive && { interactive: false }),
      ...(event.revenue && { revenue: { amount: event.revenue.amount, currency: event.revenue.currency } }),
      ...(event.version !== undefined && { v: event.version }),
      ...(engagement?.scrollDepth !== undefined && { sd: engagement.scrollDepth }),
      ...(engagement?.engagementTime !== undefined && { e: engagement.engagementTime }),
    },
  }
}

/** A prop or parameter named for a credential loses its value whatever it looks like; others what the rules find. */
function scrubValue(name: string, value: string, found: Found): string {
  if (!isSecretName(name)) return scrub(value, found)
  found('secret')
  return PLACEHOLDERS.secret
}

function rebuiltUrl({ url, hashMode }: BrowserEvent, policy: SanitizePolicy, found: Found): string {
  const query = url.search === '' ? '' : allowedQuery(url.searchParams, policy.queryAllowlist, found)
  // With hash-based routing the fragment is the page's path (and may carry its own query).
  const fragment = hashMode && url.hash !== '' ? `#${sanitizeFragment(url.hash.slice(1), policy, found)}` : ''
  return `${url.protocol}//${policy.domain}${sanitizePath(url.pathname, policy.routes, found)}${query}${fragment}`
}

function sanitizeFragment(fragment: string, policy: SanitizePolicy, found: Found): string {
  const [path = '', query] = fragment.split(/\?(.*)/s, 2)
  const kept =
    query === undefined ? '' : allowedQuery(new URLSearchParams(query), policy.queryAllowlist, found)
  return `${sanitizePath(path, policy.routes, found)}${kept}`
}

function sanitizePath(path: string, routes: readonly string[], found: Found): string {
  const segments = path.split('/')
  for (const route of routes) {
    const template = route.split('/')
    if (template.length !== segments.length) continue
    if (template.every((part, index) => part.startsWith(':') || part === segments[index])) return route
  }
  return segments
    .map((segment) => {
      // Plausible decodes the path before it stores it: `alice%40example.com` is an address too.
      const decoded = safeDecode(segment)
      if (isIdentifier(decoded)) return IDENTIFIER_PLACEHOLDER
      const scrubbed = scrub(decoded, found)
      return scrubbed === decoded ? segment : encodeSegment(scrubbed)
    })
    .join('/')
}

// Escapes all but RFC 3986's path characters (`pchar`), and keeps the placeholders' brackets readable.
const encodeSegment = (text: string): string =>
  text.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@[\]]+/gu, encodeURIComponent)

const safeDecode = (segment: string): string => {
  if (!segment.includes('%')) return segment
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

function allowedQuery(params: URLSearchParams, allowlist: readonly string[], found: Found): string {
  const allowed = (key: string) =>
    allowlist.some((entry) => (entry.endsWith('*') ? key.startsWith(entry.slice(0, -1)) : key === entry))
  // Plausible decodes the query (URI.decode_query) and records the utm_* values it finds there.
  const kept = new URLSearchParams(
    [...params]
      .filter(([key]) => allowed(key))
      .map(([key, value]) => [scrub(key, found), scrubValue(key, value, found)]),
  )
  const query = kept.toString()
  return query === '' ? '' : `?${query}`
}

/**
 * External referrers keep their origin only; the site's own pages, anything unparsable and an origin holding what
 * the scrubbing rules find (`https://ghp_….example`) are dropped: a host name cannot carry a placeholder.
 */
function referrerOrigin(referrer: string | null, page: URL, found: Found): string | null {
  if (referrer === null || !URL.canParse(referrer)) return null
  const source = new URL(referrer)
  if (!/^https?:$/.test(source.protocol) || source.host === page.host) return null
  let scrubbed = false
  scrub(source.origin, (kind) => {
    scrubbed = true
    found(kind)
  })
  return scrubbed ? null : source.origin
}
