import { type BrowserEvent, MAX_URL_BYTES, type Revenue } from './event.ts'
import { fitsInBytes, type PropValue } from './props.ts'

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

// Path segments that identify something rather than name a page: UUIDs, long numbers, long hex or random tokens.
const IDENTIFIER_SEGMENTS: readonly RegExp[] = [
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  /^\d{3,}$/,
  /^[0-9a-f]{16,}$/i,
  /^(?=.*\d)[A-Za-z0-9_-]{24,}$/,
]
const IDENTIFIER_PLACEHOLDER = ':id'

export type Sanitized =
  | { readonly ok: true; readonly event: UpstreamEvent }
  | { readonly ok: false; readonly field: string; readonly problem: string }

/**
 * Applies the privacy rules: domain pinned, URL rebuilt from scheme, the site's host and a path whose identifiers
 * are replaced, query kept only for allowlisted keys, fragment dropped (or, in hash mode, sanitised like a path),
 * referrer reduced to its origin (or dropped when it is the site itself), props limited to the event's allowlist.
 * Plausible's limits are checked again on what is sent: rebuilding can make a URL longer.
 * @example sanitizeEvent(event, { domain: 'meshpanel.example.com', events: { pageview: [] }, routes: [], queryAllowlist: ['utm_*'] })
 */
export function sanitizeEvent(event: BrowserEvent, policy: SanitizePolicy): Sanitized {
  if (!event.domains.includes(policy.domain))
    return { ok: false, field: 'domain', problem: 'must be the domain this relay serves' }
  const allowedProps = Object.hasOwn(policy.events, event.name) ? policy.events[event.name] : undefined
  if (allowedProps === undefined)
    return { ok: false, field: 'name', problem: 'must be an event this relay accepts' }
  const url = rebuiltUrl(event, policy)
  if (!fitsInBytes(url, MAX_URL_BYTES))
    return {
      ok: false,
      field: 'url',
      problem: `must be at most ${MAX_URL_BYTES} bytes once rebuilt (percent-encoded, identifiers replaced), Plausible's limit`,
    }
  const props = Object.fromEntries(Object.entries(event.props).filter(([key]) => allowedProps.includes(key)))
  const { engagement } = event
  return {
    ok: true,
    event: {
      name: event.name,
      url,
      domain: policy.domain,
      referrer: referrerOrigin(event.referrer, event.url),
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

function rebuiltUrl({ url, hashMode }: BrowserEvent, policy: SanitizePolicy): string {
  const query = url.search === '' ? '' : allowedQuery(url.searchParams, policy.queryAllowlist)
  // With hash-based routing the fragment is the page's path (and may carry its own query).
  const fragment = hashMode && url.hash !== '' ? `#${sanitizeFragment(url.hash.slice(1), policy)}` : ''
  return `${url.protocol}//${policy.domain}${sanitizePath(url.pathname, policy.routes)}${query}${fragment}`
}

function sanitizeFragment(fragment: string, policy: SanitizePolicy): string {
  const [path = '', query] = fragment.split(/\?(.*)/s, 2)
  const kept = query === undefined ? '' : allowedQuery(new URLSearchParams(query), policy.queryAllowlist)
  return `${sanitizePath(path, policy.routes)}${kept}`
}

function sanitizePath(path: string, routes: readonly string[]): string {
  const segments = path.split('/')
  for (const route of routes) {
    const template = route.split('/')
    if (template.length !== segments.length) continue
    if (template.every((part, index) => part.startsWith(':') || part === segments[index])) return route
  }
  return segments
    .map((segment) =>
      IDENTIFIER_SEGMENTS.some((pattern) => pattern.test(safeDecode(segment)))
        ? IDENTIFIER_PLACEHOLDER
        : segment,
    )
    .join('/')
}

const safeDecode = (segment: string): string => {
  if (!segment.includes('%')) return segment
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

function allowedQuery(params: URLSearchParams, allowlist: readonly string[]): string {
  const allowed = (key: string) =>
    allowlist.some((entry) => (entry.endsWith('*') ? key.startsWith(entry.slice(0, -1)) : key === entry))
  const kept = new URLSearchParams([...params].filter(([key]) => allowed(key)))
  const query = kept.toString()
  return query === '' ? '' : `?${query}`
}

/** External referrers keep their origin only; the site's own pages and anything unparsable are dropped. */
function referrerOrigin(referrer: string | null, page: URL): string | null {
  if (referrer === null || !URL.canParse(referrer)) return null
  const source = new URL(referrer)
  if (!/^https?:$/.test(source.protocol) || source.host === page.host) return null
  return source.origin
}
