// The Events API contract a relay must keep (docs: /work/shared/reference/plausible.md §2, §5-§7), checked on every
// request: Plausible itself answers `202 ok` to most of these mistakes and then miscounts or drops the event.
import type { IncomingMessage } from 'node:http'
import { isIP } from 'node:net'

// Headers the relay must never send: they leak the visitor's identity or page (cookie, authorization, referer,
// origin), or Plausible ranks them above X-Forwarded-For, so a client could spoof its IP through them (§2.3).
const FORBIDDEN_HEADERS = [
  'cookie',
  'authorization',
  'x-plausible-ip',
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

const BODY_KEYS = new Set(['name', 'url', 'domain', 'referrer', 'props'])

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

/** Plausible's own validation (§2.2) plus the relay's privacy rules (§5, §6). */
export function checkFields(body: Readonly<Record<string, unknown>>, domain: string): string[] {
  const problems = Object.keys(body)
    .filter((key) => !BODY_KEYS.has(key))
    .map((key) => `body key ${show(key)} is not in the contract (name, url, domain, referrer, props)`)

  const { name } = body
  if (typeof name !== 'string' || name.length === 0 || [...name].length > 120) {
    problems.push(`name must be a string of 1 to 120 characters, got ${show(name)}`)
  } else if (name === 'engagement') {
    problems.push('name "engagement" is reserved by Plausible')
  }

  problems.push(...checkUrl(body.url, domain))

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
  return problems
}

function checkUrl(url: unknown, domain: string): string[] {
  if (typeof url !== 'string') return [`url must be a string, got ${show(url)}`]
  const problems: string[] = []
  const bytes = Buffer.byteLength(url)
  if (bytes > 2000) problems.push(`url is ${bytes} bytes, Plausible rejects more than 2000`)
  const parsed = parseUrl(url)
  if (parsed === undefined || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
    problems.push(`url must be an absolute http(s) URL, got ${show(url)}`)
    return problems
  }
  // Checked on the raw string: the URL parser reports an empty fragment (`/page#`) as no fragment at all.
  if (url.includes('#')) problems.push(`url must not carry a fragment, got ${show(url)}`)
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
  // Plausible keeps the first 30 and silently discards the rest; over-long keys or values fail the whole event.
  const problems = entries.length > 30 ? [`props has ${entries.length} entries, Plausible keeps only 30`] : []
  for (const [key, value] of entries) {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      problems.push(`props.${key} must be a string, number or boolean, got ${show(value)}`)
    } else if (Buffer.byteLength(String(value)) > 2000) {
      problems.push(`props.${key} is longer than 2000 bytes, Plausible would reject the event`)
    }
    if (Buffer.byteLength(key) > 300) problems.push(`props key ${show(key)} is longer than 300 bytes`)
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
