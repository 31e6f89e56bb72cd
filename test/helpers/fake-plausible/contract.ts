// The Events API contract a relay must keep (docs: /work/shared/reference/plausible.md §2, §5-§7), checked on every
// request: Plausible's own rules (ingestion.ts, its request.ex) and the relay's privacy rules. Plausible itself
// answers `202 ok` to many of these mistakes and then miscounts or drops the event.
import type { IncomingMessage } from 'node:http'
import { isIP } from 'node:net'
import { ingest } from './ingestion.ts'

// Headers the relay must never send: they leak the visitor's identity or page (cookie, authorization, referer,
// origin), or Plausible ranks them above X-Forwarded-For, so a client could spoof its IP through them (§2.3).
// X-Plausible-IP ranks first of all and is required instead: a CDN in front of Plausible would otherwise name the
// relay in CF-Connecting-IP or X-Forwarded-For, and every visitor of an installation would become one.
const FORBIDDEN_HEADERS = [
  'cookie',
  'authorization',
  'x-plausible-ip-type',
  'x-debug-request',
  'cf-connecting-ip',
  'b-forwarded-for',
  'forwarded',
  'referer',
  'origin',
  'x-real-ip',
] as const

// What fetch sends when the relay forgets to pass the browser's UA: Node (undici), Deno and Bun.
// Plausible would then merge all visitors behind the relay into one (§2.5).
const RUNTIME_USER_AGENT = /^(?:node|undici)$|^(?:deno|bun)\//i

// Long keys only, except where Plausible reads no long one (`v`, `sd`, `e`): with `i: false` Plausible's
// `body["i"] || body["interactive"]` falls through to the default, so the long key is the one that works.
const BODY_KEYS = new Set([
  'name',
  'url',
  'domain',
  'referrer',
  'props',
  'hashMode',
  'interactive',
  'revenue',
  'v',
  'sd',
  'e',
])

export function checkHeaders(
  req: IncomingMessage,
  headers: Readonly<Record<string, string>>,
  effectiveIp: string | undefined,
): string[] {
  const problems: string[] = []
  // The relay builds its headers from scratch, so a header sent twice means it copied or appended something.
  for (const [name, values] of Object.entries(req.headersDistinct)) {
    if (values && values.length > 1) problems.push(`header ${name} was sent ${values.length} times`)
  }

  const contentType = headers['content-type']
  if (contentType === undefined || !/^application\/json\s*(?:;\s*charset=utf-8\s*)?$/i.test(contentType)) {
    problems.push(`content-type must be application/json, got ${show(contentType)}`)
  }
  // Phoenix's `plug :accepts, ["json"]` answers 406 to an Accept header that rules JSON out (§2.1).
  const accept = headers.accept
  if (accept !== undefined && accept.trim() !== '' && !acceptsJson(accept)) {
    problems.push(`accept ${show(accept)} rules out JSON, Plausible would answer 406`)
  }

  // Plausible drops Headless Chrome as a bot (§2.3), but the fake records it like any browser: relay tests drive
  // headless browsers, and a test that needs the drop can replyWith('drop').
  const userAgent = headers['user-agent']
  if (userAgent === undefined || userAgent.trim() === '') {
    problems.push('user-agent is missing; the browser UA must be forwarded verbatim')
  } else if (RUNTIME_USER_AGENT.test(userAgent)) {
    problems.push(`user-agent ${show(userAgent)} is the runtime's fetch default, not the browser's UA`)
  }

  const plausibleIp = headers['x-plausible-ip']
  if (plausibleIp === undefined) {
    problems.push('x-plausible-ip is missing; Plausible ranks it above every proxy header')
  } else if (plausibleIp !== headers['x-forwarded-for']) {
    problems.push(
      `x-plausible-ip ${show(plausibleIp)} and x-forwarded-for ${show(headers['x-forwarded-for'])} must name the same client`,
    )
  }

  const forwardedFor = headers['x-forwarded-for']
  if (forwardedFor === undefined) {
    problems.push('x-forwarded-for is missing; the client IP must be forwarded')
  } else if (forwardedFor.includes(',')) {
    problems.push(`x-forwarded-for must hold exactly one IP, got ${show(forwardedFor)}`)
  } else if (isIP(forwardedFor) === 0) {
    problems.push(`x-forwarded-for ${show(forwardedFor)} is not an IP address`)
  } else if (effectiveIp !== forwardedFor) {
    problems.push(
      `Plausible would count client IP ${show(effectiveIp)}, not x-forwarded-for ${show(forwardedFor)}`,
    )
  }

  for (const name of FORBIDDEN_HEADERS) {
    if (name in headers) problems.push(`header ${name} must not be sent, got ${show(headers[name])}`)
  }
  return problems
}

function acceptsJson(accept: string): boolean {
  return accept
    .split(',')
    .map((range) => range.split(';')[0]?.trim().toLowerCase())
    .some((type) => type === '*/*' || type === 'application/*' || type === 'application/json')
}

export function parseBody(text: string): { object: Record<string, unknown>; violations: string[] } {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return { object: {}, violations: [`body is not JSON: ${show(text)}`] }
  }
  return isPlainObject(parsed)
    ? { object: parsed, violations: [] }
    : { object: {}, violations: [`body must be a JSON object, got ${show(parsed)}`] }
}

/** Plausible's own rules (ingestion.ts) plus the relay's privacy rules (§5, §6). */
export function checkFields(body: Readonly<Record<string, unknown>>, domain: string): string[] {
  const problems = Object.keys(body)
    .filter((key) => !BODY_KEYS.has(key))
    .map((key) => `body key ${show(key)} is not in the contract (${[...BODY_KEYS].join(', ')})`)

  const ingested = ingest(body)
  if (!ingested.ok) {
    for (const [field, messages] of Object.entries(ingested.errors))
      problems.push(`Plausible would refuse it: ${field} ${messages.join(', ')}`)
  }

  const { name } = body
  if (typeof name !== 'string') problems.push(`name must be sent as a string, got ${show(name)}`)
  const hashMode = body.hashMode
  if (hashMode !== undefined && hashMode !== 1)
    problems.push(`hashMode must be 1 or absent, got ${show(hashMode)}`)
  problems.push(...checkUrl(body.url, domain, hashMode === 1))

  if (typeof body.domain !== 'string') {
    problems.push(`domain must be a string, got ${show(body.domain)}`)
  } else if (body.domain.includes(',')) {
    problems.push(
      `domain ${show(body.domain)} holds a comma, Plausible would record the event for several sites`,
    )
  } else if (body.domain !== domain) {
    problems.push(`domain ${show(body.domain)} is not the configured ${show(domain)}`)
  }

  if (!('referrer' in body)) {
    problems.push('referrer is missing; send null when there is none')
  } else if (body.referrer !== null && !isOrigin(body.referrer)) {
    problems.push(`referrer must be null or an origin like https://example.com, got ${show(body.referrer)}`)
  }

  if ('props' in body) problems.push(...checkProps(body.props))
  if ('interactive' in body && body.interactive !== false)
    problems.push(`interactive must be false or absent (true is the default), got ${show(body.interactive)}`)
  for (const key of ['sd', 'e'] as const) {
    if (key in body && name !== 'engagement') problems.push(`${key} belongs to engagement events only`)
    if (key in body && !Number.isInteger(body[key]))
      problems.push(`${key} must be an integer, got ${show(body[key])}`)
  }
  if ('v' in body && !Number.isInteger(body.v)) problems.push(`v must be an integer, got ${show(body.v)}`)
  if ('revenue' in body) problems.push(...checkRevenue(body.revenue))
  return problems
}

/** Only an amount and a currency: anything else in a revenue object is data Plausible has no use for. */
function checkRevenue(revenue: unknown): string[] {
  if (!isPlainObject(revenue)) return [`revenue must be an object, got ${show(revenue)}`]
  const keys = Object.keys(revenue).sort().join(',')
  if (keys !== 'amount,currency') return [`revenue must hold amount and currency only, got ${show(revenue)}`]
  return typeof revenue.currency === 'string' && /^[A-Z]{3}$/.test(revenue.currency)
    ? []
    : [`revenue.currency must be an ISO 4217 code, got ${show(revenue.currency)}`]
}

function checkUrl(url: unknown, domain: string, hashMode: boolean): string[] {
  if (typeof url !== 'string') return [`url must be a string, got ${show(url)}`]
  const problems: string[] = []
  const bytes = Buffer.byteLength(url)
  if (bytes > 2000) problems.push(`url is ${bytes} bytes, Plausible rejects more than 2000`)
  const parsed = parseUrl(url)
  if (parsed === undefined || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
    problems.push(`url must be an absolute http(s) URL, got ${show(url)}`)
    return problems
  }
  // Checked on the raw string: the URL parser reports an empty fragment (`/page#`) as no fragment at all. In hash
  // mode the fragment is the page's path, and Plausible records it.
  if (url.includes('#') && !hashMode) problems.push(`url must not carry a fragment, got ${show(url)}`)
  if (parsed.username !== '' || parsed.password !== '') problems.push(`url must not carry credentials`)
  for (const key of new Set(parsed.searchParams.keys())) {
    if (!key.startsWith('utm_'))
      problems.push(`url query parameter ${show(key)} must be stripped (only utm_*)`)
  }
  if (parsed.host !== domain)
    problems.push(`url host ${show(parsed.host)} is not the configured ${show(domain)}`)
  return problems
}

/** `https://host` or `https://host/`: nothing of the referring page beyond its site. */
function isOrigin(referrer: unknown): boolean {
  if (typeof referrer !== 'string') return false
  const parsed = parseUrl(referrer)
  if (parsed === undefined || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) return false
  return referrer === parsed.origin || referrer === `${parsed.origin}/`
}

function checkProps(props: unknown): string[] {
  // Plausible also accepts props as a JSON-encoded string, but the relay contract sends an object.
  if (!isPlainObject(props)) return [`props must be an object, got ${show(props)}`]
  const entries = Object.entries(props)
  // Plausible keeps 30 and silently discards the rest, and drops empty, null and nested values: a relay that sends
  // them lets Plausible choose what is recorded. Over-long keys or values fail the whole event (ingestion.ts).
  const problems = entries.length > 30 ? [`props has ${entries.length} entries, Plausible keeps only 30`] : []
  for (const [key, value] of entries) {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      problems.push(`props.${key} must be a string, number or boolean, got ${show(value)}`)
    } else if (String(value).trimStart() === '' || key.trimStart() === '') {
      problems.push(`props.${key} is blank, Plausible would drop it`)
    }
  }
  return problems
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text)
  } catch {
    return undefined
  }
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** A value for a message, cut short so a 2 kB url does not drown the test output. */
export function show(value: unknown): string {
  const text = value === undefined ? 'nothing' : JSON.stringify(value)
  return text.length > 80 ? `${text.slice(0, 77)}...` : text
}
