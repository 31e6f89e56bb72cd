import { type Context, Hono } from 'hono'
import type { TrustProxy } from '../config/fields.ts'
import { readTextWithin } from '../http/limited-body.ts'
import { problem } from '../http/problem.ts'
import type { ClientAddress } from '../runtime/client-address.ts'
import type { KeepRunning } from '../runtime/ports.ts'
import { resolveClientIp } from './client-ip.ts'
import { parseBrowserEvent } from './event.ts'
import type { Forwarding } from './forwarding.ts'
import type { RelayMetrics } from './metrics.ts'
import type { EnabledPlausibleSettings } from './options.ts'
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
}: RelayRoutesOptions): Hono {
  const allow = createRateLimiter({ perMinute: settings.rateLimitPerMinute, burst: settings.rateLimitBurst })
  const refuse = (c: Context, field: string, detail: string) => {
    metrics.count('invalid')
    return problem(c, 400, 'Invalid event', `${field} ${detail}`)
  }

  return new Hono()
    .get('/api/telemetry/config', (c) =>
      c.json({ enabled: true, domain: settings.domain, apiHost: '' }, 200, { 'cache-control': 'no-store' }),
    )
    .post('/api/event', async (c) => {
      const body = await readTextWithin(c.req.raw, settings.maxBodyBytes)
      if (body === undefined) {
        metrics.count('invalid')
        return problem(c, 413, 'Event too large', `The body must be at most ${settings.maxBodyBytes} bytes`)
      }
      // Only meshPanel's own pages may send: a third-party page posting here would be forging usage.
      const origin = c.req.header('origin')
      if (
        origin !== undefined &&
        (!URL.canParse(origin) || new URL(origin).host !== new URL(c.req.url).host)
      ) {
        metrics.count('invalid')
        return problem(c, 403, 'Foreign origin', 'Events are accepted from this site only')
      }
      const ip = resolveClientIp(clientAddress(c), c.req.header('x-forwarded-for'), trustProxy)
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
      const parsed = parseBrowserEvent(body)
      if (!parsed.ok) return refuse(c, parsed.field, parsed.problem)
      const sanitized = sanitizeEvent(parsed.event, settings)
      if (!sanitized.ok) return refuse(c, sanitized.field, sanitized.problem)
      const sent = forwarding.offer({ event: sanitized.event, visitor: { userAgent, ip } })
      if (sent === undefined)
        return problem(c, 503, 'Relay busy', 'Too many events are waiting; try again later')
      keepRunning?.(c, sent)
      return c.text('ok', 202)
    })
}
