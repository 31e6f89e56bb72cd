// What Plausible makes of an Events API body: a port of `Plausible.Ingestion.Request.build/2`
// (plausible/analytics lib/plausible/ingestion/request.ex @69e5af5d, with Plausible.Helpers.JSON.decode_or_fallback
// @1128e7e5 and the EE revenue rules, extra/lib/plausible/ingestion/request/revenue.ex @1128e7e5). It is the
// oracle the fake answers by and the property tests compare the relay with, so it follows the Elixir line by line,
// quirks included, and shares no code with the relay.

/** The fields of the `%Request{}` struct an event becomes, or the changeset errors Plausible answers 400 with. */
export type Ingested =
  | { readonly ok: true; readonly request: IngestedRequest }
  | { readonly ok: false; readonly errors: Readonly<Record<string, readonly string[]>> }

export interface IngestedRequest {
  readonly eventName: string
  readonly hostname: string
  readonly pathname: string
  readonly domains: readonly string[]
  readonly referrer: string | undefined
  readonly hashMode: number | undefined
  readonly props: Readonly<Record<string, string>>
  readonly scrollDepth: number | undefined
  readonly engagementTime: number | undefined
  readonly interactive: boolean
  readonly revenue: { readonly amount: string; readonly currency: string } | undefined
  readonly trackerScriptVersion: number
}

const MAX_URL_SIZE = 2000
const MAX_PROPS = 30
// Plausible.Props.max_prop_key_length / max_prop_value_length.
const MAX_PROP_KEY_BYTES = 300
const MAX_PROP_VALUE_BYTES = 2000
const MISSING_SCROLL_DEPTH = 255
const MISSING_ENGAGEMENT_TIME = 0
const TOO_LARGE_ENGAGEMENT_TIME = 30 * 24 * 3600 * 1000
export const BLANK_ENGAGEMENT =
  "engagement event requires a valid integer value for at least one of 'sd' or 'e' fields"

const bytes = (text: string) => Buffer.byteLength(text)
const graphemes = (text: string) => [...new Intl.Segmenter().segment(text)].length
const isMap = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** Elixir's `a || b`: only nil (absent or null) and false fall through. */
const either = (body: Record<string, unknown>, ...keys: string[]): unknown => {
  for (const key of keys) {
    const value = body[key]
    if (value !== undefined && value !== null && value !== false) return value
  }
  return keys.length > 0 ? (body[keys.at(-1) as string] ?? undefined) : undefined
}

/** Ecto's :integer cast: integers, and strings Integer.parse reads whole. */
function castInteger(value: unknown): number | undefined | 'invalid' {
  if (value === undefined || value === null) return undefined
  if (typeof value === 'number') return Number.isInteger(value) ? value : 'invalid'
  if (typeof value === 'string' && /^[+-]?\d+$/.test(value)) return Number(value)
  return 'invalid'
}

/** Integer.parse(s) == {int, ""}; anything else is no integer. */
const parseWholeInteger = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isInteger(value)
    ? value
    : typeof value === 'string' && /^[+-]?\d+$/.test(value)
      ? Number(value)
      : undefined

/** Elixir's URI.decode: raises on a malformed escape, which Plausible turns into a 500. */
function uriDecode(text: string): string | undefined {
  if (/%(?![0-9a-f]{2})/i.test(text)) return undefined
  try {
    return decodeURIComponent(text)
  } catch {
    // The bytes decode, but not to UTF-8 text: ClickHouse's String column would take them, Jason's encoder not.
    return undefined
  }
}

/** A lenient split like Elixir's URI.parse (RFC 3986 appendix B); it never fails. */
function uriParse(url: string) {
  const [, scheme, authority, path, query, fragment] =
    /^(?:([^:/?#]+):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/s.exec(url) ?? []
  const host = authority
    ?.replace(/^.*@/, '')
    .replace(/:\d*$/, '')
    .replace(/^\[|\]$/g, '')
  return { scheme: scheme?.toLowerCase(), host, path: path === '' ? undefined : path, query, fragment }
}

const sanitizeHostname = (hostname: string) => hostname.trim().replace(/^www\./, '')

/** decode_or_fallback |> filter_bad_props |> take(30): what is left of the props. */
function props(raw: unknown): Record<string, string> {
  let decoded: unknown = raw
  if (typeof raw === 'string') {
    try {
      decoded = JSON.parse(raw)
    } catch {
      decoded = {}
    }
  }
  if (!isMap(decoded)) return {}
  // Maps of up to 32 keys iterate in key order (bytewise); reduce prepends, so take(30) keeps the last keys.
  // Larger maps iterate in hash order, which no client can predict: the model keeps key order there too.
  const kept = Object.entries(decoded)
    .sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
    .filter(([, value]) => !isMap(value) && !Array.isArray(value) && value !== null)
    .map(([key, value]): [string, string] => [key, elixirToString(value)])
    .filter(([key, value]) => key.trimStart() !== '' && value.trimStart() !== '')
    .reverse()
    .slice(0, MAX_PROPS)
  return Object.fromEntries(kept)
}

/** to_string/1 of a JSON scalar; floats print as Elixir does (`1.0`, `1.0e21`). */
function elixirToString(value: unknown): string {
  if (typeof value !== 'number' || Number.isInteger(value)) return String(value)
  const text = String(value)
  const [mantissa = '', exponent] = text.split('e')
  const withPoint = mantissa.includes('.') ? mantissa : `${mantissa}.0`
  return exponent === undefined ? withPoint : `${withPoint}e${exponent.replace(/^\+/, '')}`
}

function revenue(body: Record<string, unknown>): IngestedRequest['revenue'] {
  let source = either(body, 'revenue', '$')
  if (typeof source === 'string') {
    try {
      source = JSON.parse(source)
    } catch {
      return undefined
    }
  }
  if (!isMap(source) || !('amount' in source) || !('currency' in source)) return undefined
  const { amount, currency } = source
  const currencies: readonly string[] = Intl.supportedValuesOf('currency')
  if (typeof currency !== 'string' || !currencies.includes(currency)) return undefined
  // Decimal.parse reads a leading number and returns the rest: "12.5abc" is 12.5.
  const number = typeof amount === 'number' ? String(amount) : typeof amount === 'string' ? amount : undefined
  const decimal = number === undefined ? undefined : /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?/i.exec(number)
  return decimal ? { amount: decimal[0], currency } : undefined
}

/**
 * The request Plausible would build from `body` (already JSON-decoded to an object), or its 400 errors. A path or
 * fragment whose escapes do not decode crashes Plausible with a 500; it is reported as an error on `url` here.
 * @example ingest({ n: 'pageview', u: 'https://x.example/', d: 'x.example' })
 */
export function ingest(body: Record<string, unknown>): Ingested {
  const errors: Record<string, string[]> = {}
  const fail = (field: string, message: string) => {
    errors[field] = [...(errors[field] ?? []), message]
  }

  // put_uri
  const url = either(body, 'u', 'url')
  let uri: ReturnType<typeof uriParse> | undefined
  if (url === undefined || url === null) fail('url', 'is required')
  else if (typeof url !== 'string' || bytes(url) > MAX_URL_SIZE) fail('url', 'must be a valid url')
  else {
    uri = uriParse(url)
    if (uri.scheme === 'data') {
      fail('url', 'scheme is not allowed')
      uri = undefined
    }
  }
  // put_hostname
  const hostname = uri?.host ? sanitizeHostname(uri.host) : '(none)'

  // put_request_params
  const rawName = either(body, 'n', 'name')
  let eventName: string | undefined
  if (typeof rawName === 'string') eventName = rawName
  else if (typeof rawName === 'number' && Number.isInteger(rawName)) eventName = String(rawName)
  else if (rawName !== undefined && rawName !== null) fail('event_name', 'is invalid')
  const hashMode = castInteger(either(body, 'h', 'hashMode'))
  if (hashMode === 'invalid') fail('hash_mode', 'is invalid')

  // put_referrer
  const rawReferrer = either(body, 'r', 'referrer')
  const referrer =
    typeof rawReferrer === 'string'
      ? [...new Intl.Segmenter().segment(rawReferrer)]
          .slice(0, MAX_URL_SIZE)
          .map((part) => part.segment)
          .join('')
      : undefined

  // put_pathname
  let pathname = '/'
  if (uri !== undefined) {
    const path = uriDecode(uri.path ?? '/')
    const fragment = hashMode === 1 && uri.fragment !== undefined ? uriDecode(uri.fragment) : ''
    if (path === undefined || fragment === undefined) fail('url', 'has an escape that does not decode (500)')
    else pathname = path.trimEnd() + (hashMode === 1 && uri.fragment !== undefined ? `#${fragment}` : '')
  }

  // put_props, validate_props
  const kept = props(either(body, 'm', 'meta', 'p', 'props'))
  if (
    Object.entries(kept).some(
      ([key, value]) => bytes(key) > MAX_PROP_KEY_BYTES || bytes(value) > MAX_PROP_VALUE_BYTES,
    )
  )
    fail('props', 'keys should have at most 300 bytes and values 2000 bytes')

  // put_engagement_fields
  let scrollDepth: number | undefined
  let engagementTime: number | undefined
  if (eventName === 'engagement') {
    const sd = parseWholeInteger(body.sd)
    scrollDepth = sd === undefined || sd < 0 ? MISSING_SCROLL_DEPTH : Math.min(sd, 100)
    const e = parseWholeInteger(body.e)
    engagementTime = e === undefined || e < 0 || e >= TOO_LARGE_ENGAGEMENT_TIME ? MISSING_ENGAGEMENT_TIME : e
    if (scrollDepth === MISSING_SCROLL_DEPTH && engagementTime === MISSING_ENGAGEMENT_TIME)
      fail('event_name', BLANK_ENGAGEMENT)
  }

  // put_interactive: `body["i"] || body["interactive"]`, so a short `i: false` falls through to the default.
  const rawInteractive = either(body, 'i', 'interactive')
  const interactive = typeof rawInteractive === 'boolean' ? rawInteractive : true
  // put_tracker_script_version
  const trackerScriptVersion = typeof body.v === 'number' && Number.isInteger(body.v) ? body.v : 0

  // map_domains
  const rawDomain = either(body, 'd', 'domain')
  const trimmed = typeof rawDomain === 'string' ? rawDomain.trim() : undefined
  let domains: string[] = []
  if (trimmed === '') fail('domain', "can't be blank")
  else if (trimmed !== undefined) domains = trimmed.split(',').map(sanitizeHostname)
  else if (uri?.host !== undefined) domains = [sanitizeHostname(uri.host)]
  else fail('domain', "can't be blank")

  // validate_required, validate_length(:event_name, max: 120), counted in graphemes as Ecto counts strings
  if (eventName === undefined || eventName.trim() === '') {
    if (!errors.event_name) fail('event_name', "can't be blank")
  } else if (graphemes(eventName) > 120) fail('event_name', 'should be at most 120 character(s)')

  if (Object.keys(errors).length > 0) return { ok: false, errors }
  return {
    ok: true,
    request: {
      eventName: eventName as string,
      hostname,
      pathname,
      domains,
      referrer,
      hashMode: hashMode as number | undefined,
      props: kept,
      scrollDepth,
      engagementTime,
      interactive,
      revenue: revenue(body),
      trackerScriptVersion,
    },
  }
}
