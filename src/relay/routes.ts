import { type Context, Hono } from 'hono'
import type { TrustProxy } from '../config/fields.ts'
import { type BodyFailure, createBodyReader } from '../http/limited-body.ts'
import { problem } from '../http/problem.ts'
import type { Logger } from '../logging/logger.ts'
import type { ClientAddress } from '../runtime/client-address.ts'
import type { KeepRunning } from '../runtime/ports.ts'
import { createClientIpResolver, createTrustedPeerCheck } from './client-ip.ts'
import { parseBrowserEvent } from './event.ts'
import type { Forwarding } from './forwarding.ts'
import type { RelayMetrics } from './metrics.ts'
import type { EnabledPlausibleSettings } from './options.ts'
import { isOwnOrigin, type RequestHosts } from './origin.ts'
import { createRateLimiter } from './rate-limit.ts'
import { sanitizeEvent } from './sanitize.ts'

export interface RelayRoutesOptions {
  readonly settings: EnabledPlausibleSettings
  readonly trustProxy: TrustProxy
  /** The socket's remote address, as this runtime knows it. */
  readonly clientAddress: ClientAddress
  /** Edge runtimes end a request's work when its response is sent unless told to wait for it. */
  readonly keepRunning: KeepRunning | undefined
  readonly forwarding: Forwarding
  readonly metrics: RelayMetrics
  readonly logger: Logger
}

/**
 * `POST /api/event` (where plausible-tracker sends) and `GET /api/telemetry/config`. Events are validated,
 * sanitised and queued, answered 202 at once, and forwarded in the background.
 */
export function relayRoutes({
  settings,
  trustProxy,
  clientAddress,
  keepRunning,
  forwarding,
  metrics,
  logger,
}: RelayRoutesOptions): Hono {
  const allow = createRateLimiter({ perMinute: settings.rateLimitPerMinute, burst: settings.rateLimitBurst })
  const clientIp = createClientIpResolver(trustProxy)
  const isTrustedPeer = createTrustedPeerCheck(trustProxy)
  const readBody = createBodyReader({ maxBytes: settings.maxBodyBytes, timeoutMs: settings.bodyTimeoutMs })
  const refuse = (c: Context, field: string, detail: string) => {
    metrics.count('invalid')
    return problem(c, 400, 'Invalid event', `${field} ${detail}`)
  }
  // A browser that leaves or stalls mid-body is the browser's problem: a 4xx, never a 5xx that alerts watch.
  const refuseBody = (c: Context, body: BodyFailure) => {
    if (body.failure === 'too-large') {
      metrics.count('invalid')
      return problem(c, 413, 'Event too large', `The body must be at most ${settings.maxBodyBytes} bytes`)
    }
    if (body.failure === 'aborted') {
      metrics.count('client_aborted')
      logger.debug('event body cut off by the client', { error: body.error })
      // Nobody may be there to read it; the answer is for the metrics and the request log.
      return problem(c, 400, 'Incomplete body', 'The connection closed before the whole body arrived')
    }
    metrics.count('client_timeout')
    // What is still coming of the body is not read: the connection cannot carry another request.
    const detail = `The whole body must arrive within ${settings.bodyTimeoutMs} ms`
    return problem(c, 408, 'Body too slow', detail, { connection: 'close' })
  }

  return new Hono()
    .get('/api/telemetry/config', (c) =>
      c.json({ enabled: true, domain: settings.domain, apiHost: '' }, 200, { 'cache-control': 'no-store' }),
    )
    .post('/api/event', async (c) => {
      const body = await readBody(c.req.raw)
      if (!('text' in body)) return refuseBody(c, body)
      // Only meshPanel's own pages may send: a third-party page posting here would be forging usage. No `Origin` at
      // all is a non-browser client, which a header check could not stop anyway.
      const socketAddress = clientAddress(c)
      const origin = c.req.header('origin')
      if (
        origin !== undefined &&
        !isOwnOrigin(origin, requestHosts(c, isTrustedPeer(socketAddress)), settings)
      ) {
        metrics.count('invalid')
        return problem(
          c,
          403,
          'Foreign origin',
          'Events are accepted from this site only; behind a reverse proxy set TRUST_PROXY and pass X-Forwarded-Host, or list the site in PLAUSIBLE_ALLOWED_ORIGINS',
        )
      }
      const ip = clientIp(socketAddress, c.req.header('x-forwarded-for'))
      if (ip === undefined)
        return refuse(c, 'X-Forwarded-For', 'from the trusted proxy must name the client address')
      if (!allow(ip)) {
        metrics.count('rate_limited')
        return problem(c, 429, 'Too many events', 'Slow down', {
          'retry-after': String(Math.ceil(60 / settings.rateLimitPerMinute)),
        })
      }
      const userAgent = c.req.header('user-agent')
      if (!userAgent) return refuse(c, 'User-Agent', 'is required')
      const parsed = parseBrowserEvent(body.text)
      if (!parsed.ok) return refuse(c, parsed.field, parsed.problem)
      const sanitized = sanitizeEvent(parsed.event, settings)
      if (!sanitized.ok) return refuse(c, sanitized.field, sanitized.problem)
      const sent = forwarding.offer({ event: sanitized.event, visitor: { userAgent, ip } })
      if (sent === undefined)
        return problem(c, 503, 'Relay busy', 'Too many events are waiting; try again later')
      if (sanitized.scrubbed.length > 0) metrics.scrubbed(sanitized.scrubbed)
      keepRunning?.(c, sent)
      return c.text('ok', 202)
    })
}

const requestHosts = (c: Context, fromTrustedProxy: boolean): RequestHosts => ({
  host: new URL(c.req.url).host,
  fromTrustedProxy,
  forwardedHost: c.req.header('x-forwarded-host'),
  forwarded: c.req.header('forwarded'),
})
