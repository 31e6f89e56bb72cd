// A strict fake of Plausible's Events API (`POST /api/event`) for tests of the usage-event relay.
// It answers the way Plausible does (docs: /work/shared/reference/plausible.md §2.4), and it records every way
// a request breaks the relay contract (§6 "Send", §7). Plausible itself answers `202 ok` to most of those
// mistakes and then miscounts or drops the event, so only a fake that checks the requests can catch them.
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http'
import { createServer as createTlsServer } from 'node:https'
import { type AddressInfo, isIP } from 'node:net'

export type Reply =
  | 'accept' // 202 text/plain "ok"
  | 'drop' // 202 "ok" + x-plausible-dropped: 1
  | 'bad-request' // 400 application/json {"errors":{"url":["is required"]}}
  | 'server-error' // 500
  | 'unavailable' // 503
  | 'too-many' // 429
  | 'reset' // destroy the socket without answering
  | { readonly delayMs: number; readonly then?: Reply } // answer late (default then: 'accept')

export interface ReceivedEvent {
  /** performance.now() when the whole request had arrived. */
  readonly at: number
  /** Lower-cased names, as received; a header sent several times has its values joined with ", ". */
  readonly headers: Readonly<Record<string, string>>
  /** The parsed JSON object; `{}` when the body was not a JSON object (a violation says so). */
  readonly body: Readonly<Record<string, unknown>>
  /** The client IP as Plausible's `RemoteIP.get` would compute it from these headers and the socket. */
  readonly effectiveIp: string | undefined
  readonly userAgent: string | undefined
  /** Contract violations of this request; empty when it follows the contract. */
  readonly violations: readonly string[]
}

export interface FakePlausible {
  /** e.g. http://127.0.0.1:41234 (no trailing slash) */
  readonly url: string
  readonly port: number
  /** Every POST /api/event received, in arrival order, including the ones answered with an error. */
  readonly events: readonly ReceivedEvent[]
  /** All violations seen, each prefixed with the request number; includes requests to other paths/methods. */
  readonly violations: readonly string[]
  /** Behaviour for subsequent requests (default 'accept'); a function decides per event (index = its position in `events`). */
  replyWith(reply: Reply | ((event: ReceivedEvent, index: number) => Reply)): void
  /** Resolves once `events.length >= count`; rejects after timeoutMs (default 5000) listing what did arrive. */
  waitForEvents(count: number, timeoutMs?: number): Promise<readonly ReceivedEvent[]>
  /** Closes the server and destroys open sockets (including answers still delayed); then connections are refused. */
  stop(): Promise<void>
  /** Listens again on the same port, for outage and flapping tests. */
  start(): Promise<void>
}

type Answer = { readonly status: number; readonly headers: Record<string, string>; readonly body: string }

const TEXT = { 'content-type': 'text/plain; charset=utf-8' }

// Status, headers and bodies as Plausible's ExternalController sends them (§2.4); Plausible itself never sends
// 429, but a proxy or CDN in front of it may, and the relay must cope.
const ANSWERS: Readonly<Record<Exclude<Reply, object | 'reset'>, Answer>> = {
  accept: { status: 202, headers: TEXT, body: 'ok' },
  drop: { status: 202, headers: { ...TEXT, 'x-plausible-dropped': '1' }, body: 'ok' },
  'bad-request': {
    status: 400,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: '{"errors":{"url":["is required"]}}',
  },
  'server-error': { status: 500, headers: TEXT, body: 'Internal Server Error' },
  unavailable: { status: 503, headers: TEXT, body: 'Service Unavailable' },
  'too-many': { status: 429, headers: TEXT, body: 'Too Many Requests' },
}

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

export async function startFakePlausible(options: {
  readonly domain: string
  readonly port?: number
  /** Serve HTTPS, as a real Plausible does, with this key and certificate (PEM). */
  readonly tls?: { readonly key: string; readonly cert: string }
}): Promise<FakePlausible> {
  const events: ReceivedEvent[] = []
  const violations: string[] = []
  const waiters = new Set<() => void>()
  // Answers still waiting out a `delayMs`; stop() cancels them so no timer outlives the server.
  const delayed = new Set<NodeJS.Timeout>()
  let reply: Reply | ((event: ReceivedEvent, index: number) => Reply) = 'accept'
  let requests = 0

  const answer = (req: IncomingMessage, res: ServerResponse, chosen: Reply): void => {
    if (typeof chosen === 'object') {
      const timer = setTimeout(() => {
        delayed.delete(timer)
        answer(req, res, chosen.then ?? 'accept')
      }, chosen.delayMs)
      delayed.add(timer)
    } else if (req.socket.destroyed) {
      // The client gave up while the answer was delayed: nobody is left to answer.
    } else if (chosen === 'reset') {
      req.socket.destroy()
    } else {
      const { status, headers, body } = ANSWERS[chosen]
      res.writeHead(status, headers).end(body)
    }
  }

  const handle: RequestListener = async (req, res) => {
    const number = ++requests
    const text = await readBody(req)
    // A request the client aborted mid-body never reached Plausible either: nothing to record or answer.
    if (text === undefined) return
    const at = performance.now()
    const target = `${req.method} ${req.url}`
    if (req.method !== 'POST' || req.url !== '/api/event') {
      violations.push(`#${number} ${target}: only POST /api/event exists (answered 404)`)
      res.writeHead(404, TEXT).end('Not Found')
      return
    }
    const headers = receivedHeaders(req)
    const effectiveIp = remoteIp(headers, req.socket.remoteAddress)
    const body = parseBody(text)
    const event: ReceivedEvent = {
      at,
      headers,
      body: body.object,
      effectiveIp,
      userAgent: headers['user-agent'],
      violations: [
        ...checkHeaders(req, headers, effectiveIp),
        // The field checks would only repeat "missing" for every field of a body that is not an object.
        ...(body.violations.length > 0 ? body.violations : checkFields(body.object, options.domain)),
      ],
    }
    events.push(event)
    violations.push(...event.violations.map((violation) => `#${number} ${target}: ${violation}`))
    for (const wake of waiters) wake()
    answer(req, res, typeof reply === 'function' ? reply(event, events.length - 1) : reply)
  }
  const server = options.tls ? createTlsServer(options.tls, handle) : createServer(handle)

  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject)
        resolve((server.address() as AddressInfo).port)
      })
    })

  const port = await listen(options.port ?? 0)

  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    events,
    violations,
    replyWith(next) {
      reply = next
    },
    waitForEvents(count, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const wake = () => {
          if (events.length < count) return
          waiters.delete(wake)
          clearTimeout(timer)
          resolve([...events])
        }
        const timer = setTimeout(() => {
          waiters.delete(wake)
          reject(
            new Error(`expected ${count} event(s) within ${timeoutMs} ms, ${describe(events, violations)}`),
          )
        }, timeoutMs)
        waiters.add(wake)
        wake()
      })
    },
    async stop() {
      for (const timer of delayed) clearTimeout(timer)
      delayed.clear()
      if (!server.listening) return
      const closed = new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      )
      // close() alone waits for keep-alive connections; an outage must cut them, like a crashed Plausible.
      server.closeAllConnections()
      await closed
    },
    async start() {
      if (!server.listening) await listen(port)
    },
  }
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = []
  try {
    for await (const chunk of req) chunks.push(chunk as Buffer)
  } catch {
    return undefined
  }
  return Buffer.concat(chunks).toString('utf8')
}

function receivedHeaders(req: IncomingMessage): Record<string, string> {
  // headersDistinct, unlike headers, keeps every line: Node silently drops repeats of user-agent and content-type.
  return Object.fromEntries(
    Object.entries(req.headersDistinct).map(([name, values = []]) => [name, values.join(', ')]),
  )
}

/** PlausibleWeb.RemoteIP.get (plausible/analytics lib/plausible_web/remote_ip.ex @8093f6be), in its priority order. */
function remoteIp(
  headers: Readonly<Record<string, string>>,
  socketIp: string | undefined,
): string | undefined {
  // Elixir's `cond` treats an empty header value as present, so `!== undefined`, not truthiness.
  const plausibleIp = headers['x-plausible-ip']
  if (plausibleIp !== undefined) return cleanIp(plausibleIp)
  const cfConnectingIp = headers['cf-connecting-ip']
  if (cfConnectingIp !== undefined) return cleanIp(cfConnectingIp)
  const bForwardedFor = headers['b-forwarded-for']
  if (bForwardedFor !== undefined) return firstForwardedFor(bForwardedFor)
  const xForwardedFor = headers['x-forwarded-for']
  if (xForwardedFor !== undefined) return firstForwardedFor(xForwardedFor)
  const forwarded = headers.forwarded
  if (forwarded !== undefined) {
    // Without a `for=` Plausible crashes (500); there is no IP to report then.
    const match = /for=([^;,]+)/.exec(forwarded)
    return match?.[1] === undefined ? undefined : cleanIp(match[1].replace(/^"+|"+$/g, ''))
  }
  return socketIp
}

const firstForwardedFor = (header: string) => cleanIp(header.split(',')[0]?.trim() ?? '')

/** Strips a port (`1.2.3.4:80`, `[::1]:80`) and the brackets around an IPv6 address, as Plausible does. */
const cleanIp = (ip: string) =>
  ip
    .replace(/((\.\d+)|(\]))(:[0-9]+)$/, '$1')
    .replace(/^\[+/, '')
    .replace(/\]+$/, '')

function checkHeaders(
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

function parseBody(text: string): { object: Record<string, unknown>; violations: string[] } {
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
function checkFields(body: Readonly<Record<string, unknown>>, domain: string): string[] {
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
function show(value: unknown): string {
  const text = value === undefined ? 'nothing' : JSON.stringify(value)
  return text.length > 80 ? `${text.slice(0, 77)}...` : text
}

function describe(events: readonly ReceivedEvent[], violations: readonly string[]): string {
  const arrived = events.map(
    (event, index) => `\n  ${index}: ${show(event.body.name)} ${show(event.body.url)}`,
  )
  const seen = violations.map((violation) => `\n  ${violation}`)
  return `got ${events.length}:${arrived.join('')}${seen.length > 0 ? `\nviolations:${seen.join('')}` : ''}`
}
