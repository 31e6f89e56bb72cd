import { fitsInBytes, keptProps, type PropValue } from './props.ts'

// The rules are Plausible's own (plausible/analytics lib/plausible/ingestion/request.ex): an event it would refuse
// is refused here with the field named, and one it would accept is read the way it reads it.
const MAX_NAME_GRAPHEMES = 120
export const MAX_URL_BYTES = 2000
const MAX_SCROLL_DEPTH = 100
const MAX_ENGAGEMENT_MS = 30 * 24 * 3600 * 1000

/** What Plausible reads from an event body, once: short and long keys alike. */
export interface BrowserEvent {
  readonly name: string
  readonly url: URL
  /** The sites the event is for, `www.` removed: `d` may list several, comma-separated. */
  readonly domains: readonly string[]
  readonly referrer: string | null
  /** The page is routed by its fragment (`h: 1`): the fragment is part of the page's path. */
  readonly hashMode: boolean
  readonly props: Readonly<Record<string, PropValue>>
  readonly interactive: boolean
  readonly revenue: Revenue | undefined
  /** Scroll depth (percent) and engagement time (ms) of an `engagement` event. */
  readonly engagement: { readonly scrollDepth?: number; readonly engagementTime?: number } | undefined
  /** The tracker script's version (`v`). */
  readonly version: number | undefined
}

export interface Revenue {
  readonly amount: number | string
  readonly currency: string
}

export type ParsedEvent =
  | { readonly ok: true; readonly event: BrowserEvent }
  | { readonly ok: false; readonly field: string; readonly problem: string }

type Body = Readonly<Record<string, unknown>>
type Field = { readonly key: string; readonly value: unknown }

class Refusal {
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {}
}

/**
 * Plausible's `body["n"] || body["name"]`: the first key whose value is neither null nor false, or the last one.
 * The key is kept so problems name the field as the client wrote it.
 */
function either(body: Body, ...keys: readonly string[]): Field {
  const key = keys.find((candidate) => body[candidate] != null && body[candidate] !== false) ?? keys.at(-1)
  return { key: key as string, value: body[key as string] }
}

/** Ecto's integer cast: an integer, or a string that is one whole. */
const wholeInteger = (value: unknown): number | undefined =>
  Number.isInteger(value)
    ? (value as number)
    : typeof value === 'string' && /^[+-]?\d+$/.test(value)
      ? Number(value)
      : undefined

let graphemes: Intl.Segmenter | undefined
// Built on first use: only a name over 120 UTF-16 units needs counting, and a segmenter costs at start.
function countGraphemes(text: string): number {
  graphemes ??= new Intl.Segmenter()
  return [...graphemes.segment(text)].length
}

function readName(body: Body): string {
  const { key, value } = either(body, 'n', 'name')
  if (value == null) throw new Refusal(key, 'is required')
  // Plausible takes integer names too, for 404 tracking.
  if (typeof value !== 'string' && !Number.isInteger(value))
    throw new Refusal(key, 'must be a string or an integer')
  const name = String(value)
  if (name.trim() === '') throw new Refusal(key, 'must not be blank')
  if (name.length > MAX_NAME_GRAPHEMES && countGraphemes(name) > MAX_NAME_GRAPHEMES)
    throw new Refusal(key, `must be at most ${MAX_NAME_GRAPHEMES} characters`)
  return name
}

/** Plausible decodes the path (and the fragment in hash mode) and fails on an escape that does not decode. */
const decodes = (text: string): boolean => {
  if (!text.includes('%')) return true
  try {
    decodeURIComponent(text)
    return true
  } catch {
    return false
  }
}

function readUrl(body: Body, hashMode: boolean): URL {
  const { key, value } = either(body, 'u', 'url')
  if (value == null) throw new Refusal(key, 'is required')
  if (typeof value !== 'string' || !fitsInBytes(value, MAX_URL_BYTES))
    throw new Refusal(key, `must be a string of at most ${MAX_URL_BYTES} bytes`)
  const url = URL.parse(value)
  // Plausible takes any scheme but data:; the relay rebuilds the URL, so it needs the page's own.
  if (url === null || (url.protocol !== 'https:' && url.protocol !== 'http:'))
    throw new Refusal(key, 'must be an absolute http(s) URL')
  if (!decodes(url.pathname) || (hashMode && !decodes(url.hash)))
    throw new Refusal(key, 'must not hold a % that starts no valid escape')
  return url
}

function readHashMode(body: Body): boolean {
  const { key, value } = either(body, 'h', 'hashMode')
  if (value == null) return false
  const mode = wholeInteger(value)
  if (mode === undefined) throw new Refusal(key, 'must be an integer (1 for hash-based routing)')
  return mode === 1
}

const sanitizeHostname = (host: string): string => host.trim().replace(/^www\./, '')

function readDomains(body: Body, url: URL): string[] {
  const { key, value } = either(body, 'd', 'domain')
  // Plausible reads a domain that is no string as none, and then takes the URL's host.
  if (typeof value !== 'string') return [sanitizeHostname(url.hostname)]
  if (value.trim() === '') throw new Refusal(key, 'must not be blank')
  return value.split(',').map(sanitizeHostname)
}

function readEngagement(body: Body): BrowserEvent['engagement'] {
  const depth = wholeInteger(body.sd)
  const time = wholeInteger(body.e)
  const scrollDepth = depth !== undefined && depth >= 0 ? Math.min(depth, MAX_SCROLL_DEPTH) : undefined
  // Zero engagement time is how Plausible marks it missing.
  const engagementTime = time !== undefined && time > 0 && time < MAX_ENGAGEMENT_MS ? time : undefined
  if (scrollDepth === undefined && engagementTime === undefined)
    throw new Refusal(
      'sd',
      'or e is required: an engagement event needs a scroll depth (sd, 0-100) or an engagement time (e, milliseconds)',
    )
  return {
    ...(scrollDepth !== undefined && { scrollDepth }),
    ...(engagementTime !== undefined && { engagementTime }),
  }
}

/** Plausible ignores a revenue it cannot read; so does the relay, and it keeps amount and currency only. */
function readRevenue(body: Body): Revenue | undefined {
  let { value } = either(body, 'revenue', '$')
  if (typeof value === 'string') value = parseJson(value)
  if (typeof value !== 'object' || value === null) return undefined
  const { amount, currency } = value as Record<string, unknown>
  if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) return undefined
  if (typeof amount === 'number' && Number.isFinite(amount)) return { amount, currency }
  if (typeof amount === 'string' && /^-?\d{1,15}(?:\.\d{1,10})?$/.test(amount)) return { amount, currency }
  return undefined
}

function readProps(body: Body): Readonly<Record<string, PropValue>> {
  const { key, value } = either(body, 'm', 'meta', 'p', 'props')
  const kept = keptProps(value)
  if (!kept.ok) throw new Refusal(`${key}.${kept.key}`, kept.problem)
  return kept.props
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/**
 * Reads a raw body whatever its content type (trackers send JSON as text/plain), in the short form, the long one
 * or a mix, as Plausible reads it. Problems name the field as the client wrote it.
 * @example parseBrowserEvent('{"n":"pageview","u":"https://x.example/a","d":"x.example"}')
 */
export function parseBrowserEvent(text: string): ParsedEvent {
  const body = parseJson(text)
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return { ok: false, field: 'body', problem: 'must be a JSON object' }
  try {
    return { ok: true, event: readEvent(body as Body) }
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, field: error.field, problem: error.problem }
    throw error
  }
}

function readEvent(body: Body): BrowserEvent {
  const name = readName(body)
  const hashMode = readHashMode(body)
  const url = readUrl(body, hashMode)
  const { value: referrer } = either(body, 'r', 'referrer')
  return {
    name,
    url,
    domains: readDomains(body, url),
    referrer: typeof referrer === 'string' ? referrer : null,
    hashMode,
    props: readProps(body),
    // The official tracker sends `i: false`; Plausible's `body["i"] || body["interactive"]` reads that as absent,
    // so the relay reads what was meant and forwards the long key, which Plausible does read.
    interactive: body.i !== false && body.interactive !== false,
    revenue: readRevenue(body),
    engagement: name === 'engagement' ? readEngagement(body) : undefined,
    version: Number.isInteger(body.v) ? (body.v as number) : undefined,
  }
}
