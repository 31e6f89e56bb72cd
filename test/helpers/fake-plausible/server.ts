// A strict fake of Plausible's Events API (`POST /api/event`) for tests of the usage-event relay: it answers as
// Plausible does (replies.ts) and records every request with the contract violations it finds (contract.ts).
import { createServer, type IncomingMessage, type RequestListener } from 'node:http'
import { createServer as createTlsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { remoteIp } from './client-address.ts'
import { checkFields, checkHeaders, parseBody, show } from './contract.ts'
import { ingest } from './ingestion.ts'
import { answer, type Reply, refuse, TEXT } from './replies.ts'

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
  /** Events answered in full; a delayed answer to a relay that gave up (or exited) meanwhile is never written. */
  readonly answered: () => number
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

export async function startFakePlausible(options: {
  readonly domain: string
  readonly port?: number
  /** Serve HTTPS, as a real Plausible does, with this key and certificate (PEM). */
  readonly tls?: { readonly key: string; readonly cert: string }
  /**
   * Close a keep-alive connection after it waited this long for a next request, and say so in each answer
   * (`Keep-Alive: timeout=<seconds>`), as a server or load balancer with a short idle timeout does.
   */
  readonly idleTimeoutMs?: number
}): Promise<FakePlausible> {
  const events: ReceivedEvent[] = []
  const violations: string[] = []
  const waiters = new Set<() => void>()
  // Answers still waiting out a `delayMs`; stop() cancels them so no timer outlives the server.
  const delayed = new Set<NodeJS.Timeout>()
  let reply: Reply | ((event: ReceivedEvent, index: number) => Reply) = 'accept'
  let requests = 0
  let answered = 0

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
    res.once('finish', () => answered++)
    // Plausible answers what its ingestion refuses with 400 whatever the test scripted (the violation says why).
    const ingested = body.violations.length > 0 ? undefined : ingest(body.object)
    if (ingested === undefined) refuse(res, { request: ['Unable to parse request body as json'] })
    else if (!ingested.ok) refuse(res, ingested.errors)
    else answer(req, res, typeof reply === 'function' ? reply(event, events.length - 1) : reply, delayed)
  }
  const server = options.tls ? createTlsServer(options.tls, handle) : createServer(handle)
  // Node closes idle connections after keepAliveTimeout and announces it in Keep-Alive, in whole seconds.
  if (options.idleTimeoutMs !== undefined) server.keepAliveTimeout = options.idleTimeoutMs

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
    answered: () => answered,
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

function describe(events: readonly ReceivedEvent[], violations: readonly string[]): string {
  const arrived = events.map(
    (event, index) => `\n  ${index}: ${show(event.body.name)} ${show(event.body.url)}`,
  )
  const seen = violations.map((violation) => `\n  ${violation}`)
  return `got ${events.length}:${arrived.join('')}${seen.length > 0 ? `\nviolations:${seen.join('')}` : ''}`
}
