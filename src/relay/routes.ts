import { type Context, Hono } from 'hono'
import type { TrustProxy } from '../config/fields.ts'
import { readTextWithin } from '../http/limited-body.ts'
import { problem } from '../http/problem.ts'
import type { Logger } from '../logging/logger.ts'
import type { MetricDefinition } from '../metrics/definition.ts'
import type { Registry } from '../metrics/registry.ts'
import { createPlausibleClient, type EventTransport, type Visitor } from './client.ts'
import { resolveClientIp } from './client-ip.ts'
import { parseBrowserEvent } from './event.ts'
import type { PlausibleSettings } from './options.ts'
import { createForwardingQueue } from './queue.ts'
import { createRateLimiter } from './rate-limit.ts'
import { sanitizeEvent, type UpstreamEvent } from './sanitize.ts'

const RELAY_METRICS = {
  events: {
    name: 'meshstack_relay_events_total',
    type: 'counter',
    help: 'Usage events by outcome: forwarded, dropped (by Plausible), rejected (by Plausible), failed, overflow (queue full), invalid, rate_limited.',
    labels: { outcome: 'operational' },
  },
  retries: {
    name: 'meshstack_relay_retries_total',
    type: 'counter',
    help: 'Sends retried because the event surely did not arrive.',
  },
  depth: {
    name: 'meshstack_relay_queue_depth',
    type: 'gauge',
    help: 'Events accepted and not yet forwarded.',
  },
} as const satisfies Record<string, MetricDefinition>

export interface RelayDependencies {
  readonly settings: PlausibleSettings & { enabled: true }
  readonly trustProxy: TrustProxy
  /** The socket's remote address, as this runtime knows it. */
  readonly clientAddress: (c: Context) => string | undefined
  readonly registry: Registry
  readonly logger: Logger
  /** Edge runtimes end a request's work when its response is sent unless told to wait for it. */
  readonly keepRunning?: (c: Context, work: Promise<void>) => void
  /** How events reach Plausible: the runtime's cheapest way, `fetch` where it has no other. */
  readonly transport: EventTransport
}

interface Job {
  readonly event: UpstreamEvent
  readonly visitor: Visitor
}

/**
 * `POST /api/event` (where plausible-tracker sends) and `GET /api/telemetry/config`. Events are validated,
 * sanitised and queued, answered 202 at once, and forwarded in the background. Returns the routes and a drain
 * for shutdown.
 */
export function relayRoutes({
  settings,
  trustProxy,
  clientAddress,
  registry,
  logger,
  keepRunning,
  transport,
}: RelayDependencies): {
  routes: Hono
  drain: () => Promise<void>
} {
  const plausible = createPlausibleClient({ url: settings.url, timeoutMs: settings.timeoutMs, transport })
  const events = registry.counter(RELAY_METRICS.events)
  const retries = registry.counter(RELAY_METRICS.retries)
  const count = (outcome: string) => events.inc([outcome])
  const allow = createRateLimiter({ perMinute: settings.rateLimitPerMinute, burst: settings.rateLimitBurst })
  const queue = createForwardingQueue<Job>({
    capacity: settings.queueSize,
    concurrency: settings.concurrency,
    retryWindowMs: settings.retryWindowMs,
    backoff: { initialMs: 250, maxMs: 5000 },
    async send({ event, visitor }) {
      const outcome = await plausible.send(event, visitor)
      if (outcome === 'retry') {
        retries.inc()
        return 'retry'
      }
      count(outcome)
      return 'done'
    },
    onGiveUp: () => count('failed'),
  })
  registry.collector({
    name: 'relay',
    definitions: [RELAY_METRICS.depth],
    collect: (emit) => emit(RELAY_METRICS.depth, [], queue.depth()),
  })
  const refuse = (c: Context, field: string, detail: string) => {
    count('invalid')
    return problem(c, 400, 'Invalid event', `${field} ${detail}`)
  }

  const routes = new Hono()
    .get('/api/telemetry/config', (c) =>
      c.json({ enabled: true, domain: settings.domain, apiHost: '' }, 200, { 'cache-control': 'no-store' }),
    )
    .post('/api/event', async (c) => {
      const body = await readTextWithin(c.req.raw, settings.maxBodyBytes)
      if (body === undefined) {
        count('invalid')
        return problem(c, 413, 'Event too large', `The body must be at most ${settings.maxBodyBytes} bytes`)
      }
      // Only meshPanel's own pages may send: a third-party page posting here would be forging usage.
      const origin = c.req.header('origin')
      if (
        origin !== undefined &&
        (!URL.canParse(origin) || new URL(origin).host !== new URL(c.req.url).host)
      ) {
        count('invalid')
        return problem(c, 403, 'Foreign origin', 'Events are accepted from this site only')
      }
      const ip = resolveClientIp(clientAddress(c), c.req.header('x-forwarded-for'), trustProxy)
      if (ip === undefined)
        return refuse(c, 'X-Forwarded-For', 'from the trusted proxy must name the client address')
      if (!allow(ip)) {
        count('rate_limited')
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
      const sent = queue.offer({ event: sanitized.event, visitor: { userAgent, ip } })
      if (sent === undefined) {
        count('overflow')
        logger.warn('relay queue full, event dropped', { queueSize: settings.queueSize })
        return problem(c, 503, 'Relay busy', 'Too many events are waiting; try again later')
      }
      keepRunning?.(c, sent)
      return c.text('ok', 202)
    })
  return { routes, drain: () => queue.drain(settings.drainTimeoutMs) }
}

/** The disabled relay: the page learns it must not send, and `/api/event` does not exist (404). */
export const disabledRelayRoutes = (): Hono =>
  new Hono().get('/api/telemetry/config', (c) =>
    c.json({ enabled: false }, 200, { 'cache-control': 'no-store' }),
  )
