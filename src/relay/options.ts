import * as v from 'valibot'
import { DomainSchema, integerBetween, NonEmptyTextSchema, objectMessage } from '../config/fields.ts'
import { HttpUrlWithoutCredentialsSchema, OriginSchema } from '../config/url-fields.ts'

const EVENT_NAME = 'an event name'
const PROP = 'a prop name'

/** The relay's part of the options; everything but `enabled`, `url` and `domain` has a default. */
export interface PlausibleOptions {
  /** Relay usage events and feedback to a central Plausible server (default false). */
  enabled?: boolean | undefined
  /** The central Plausible server, e.g. `https://plausible.example.com`; required when enabled. */
  url?: string | undefined
  /** The site domain registered in Plausible, e.g. `meshpanel.example.com`; required when enabled. */
  domain?: string | undefined
  /** Event names the relay accepts, each with the props it may carry (page views and engagement always). */
  events?: Record<string, string[]> | undefined
  /** Page origins accepted whatever host the request names, for proxies that rewrite `Host` and pass no forwarded host. */
  allowedOrigins?: string[] | undefined
  /** meshStack route templates (`/workspaces/:workspace`); matching paths are sent as the template. */
  routes?: string[] | undefined
  /** Query parameters kept in URLs; a trailing `*` makes a prefix (default `utm_*`). */
  queryAllowlist?: string[] | undefined
  /** Events accepted and not yet forwarded; beyond, 503 (default 1000). */
  queueSize?: number | undefined
  /** Sends to Plausible at a time (default 16). */
  concurrency?: number | undefined
  /** Longest one send may take, connecting included (default 5000 ms). */
  timeoutMs?: number | undefined
  /** How long after acceptance an event may still be retried (default 60000 ms). */
  retryWindowMs?: number | undefined
  /** How long the relay may still send what it holds at shutdown (default 5000 ms). */
  drainTimeoutMs?: number | undefined
  /** Events each client address may send per minute, on average (default 120). */
  rateLimitPerMinute?: number | undefined
  /** Events a client address may send at once before the rate limit applies (default 30). */
  rateLimitBurst?: number | undefined
  /** Largest event body accepted (default 8192 bytes). */
  maxBodyBytes?: number | undefined
  /** How long a browser may take to send an event's whole body once its headers are in; slower gets 408 (default 5000 ms). */
  bodyTimeoutMs?: number | undefined
  /** Events sent to Plausible that `/actuator/telemetry` shows, the newest first; 0 keeps none (default 20). */
  auditEvents?: number | undefined
}

const FieldsSchema = v.strictObject(
  {
    enabled: v.optional(v.boolean('true or false'), false),
    url: v.optional(HttpUrlWithoutCredentialsSchema),
    domain: v.optional(DomainSchema),
    /** Event names the relay accepts, each with the props it may carry. */
    events: v.optional(v.record(NonEmptyTextSchema(EVENT_NAME), v.array(NonEmptyTextSchema(PROP))), {
      pageview: [],
      engagement: [],
      Feedback: ['rating', 'topic', 'message'],
    }),
    /**
     * Page origins (`https://panel.example.com`) accepted whatever host the request names: for a reverse proxy that
     * rewrites `Host` and passes neither `X-Forwarded-Host` nor `Forwarded`.
     */
    allowedOrigins: v.optional(v.array(OriginSchema), []),
    /** meshStack route templates (`/workspaces/:workspace`); matching paths are sent as the template. */
    routes: v.optional(
      v.array(
        v.pipe(
          v.string(),
          v.regex(/^\//, 'a path template starting with "/", like "/workspaces/:workspace"'),
        ),
      ),
      [],
    ),
    /** Query parameters kept in URLs; a trailing `*` makes a prefix. */
    queryAllowlist: v.optional(v.array(NonEmptyTextSchema('a query parameter name')), ['utm_*']),
    queueSize: v.optional(integerBetween(1, 100_000, 'events'), 1000),
    concurrency: v.optional(integerBetween(1, 64, 'requests'), 16),
    timeoutMs: v.optional(integerBetween(1, 60_000, 'milliseconds'), 5000),
    retryWindowMs: v.optional(integerBetween(0, 3_600_000, 'milliseconds'), 60_000),
    drainTimeoutMs: v.optional(integerBetween(0, 600_000, 'milliseconds'), 5000),
    rateLimitPerMinute: v.optional(integerBetween(1, 1_000_000, 'events per minute'), 120),
    rateLimitBurst: v.optional(integerBetween(1, 1_000_000, 'events'), 30),
    maxBodyBytes: v.optional(integerBetween(256, 1_048_576, 'bytes'), 8192),
    /** How long a browser may take to send an event's whole body once its headers are in; slower gets 408. */
    bodyTimeoutMs: v.optional(integerBetween(100, 60_000, 'milliseconds'), 5000),
    /** Events sent to Plausible that `/actuator/telemetry` shows; each holds at most a body (8 KiB by default). */
    auditEvents: v.optional(integerBetween(0, 1000, 'events'), 20),
  },
  objectMessage,
)

const requiredWhenEnabled = (what: string): string => `set when the relay is enabled (${what})`

/** The relay's options, with what enabling it requires. */
export const PlausibleSchema = v.pipe(
  FieldsSchema,
  v.forward(
    v.partialCheck(
      [['enabled'], ['url']],
      ({ enabled, url }) => !enabled || url !== undefined,
      requiredWhenEnabled('the central Plausible server'),
    ),
    ['url'],
  ),
  v.forward(
    v.partialCheck(
      [['enabled'], ['domain']],
      ({ enabled, domain }) => !enabled || domain !== undefined,
      requiredWhenEnabled('the site domain registered there'),
    ),
    ['domain'],
  ),
)

type ParsedPlausible = v.InferOutput<typeof PlausibleSchema>

/** The relay's settings when it is on: every setting known. */
export type EnabledPlausibleSettings = Omit<ParsedPlausible, 'enabled' | 'url' | 'domain'> & {
  readonly enabled: true
  readonly url: string
  readonly domain: string
}

/** The relay's settings once resolved: off, or on with every setting known. */
export type PlausibleSettings = { readonly enabled: false } | EnabledPlausibleSettings

/** Off unless enabled with a server and a domain (validation makes sure both are set when enabled). */
export function completePlausible({ enabled, url, domain, ...rest }: ParsedPlausible): PlausibleSettings {
  return enabled && url !== undefined && domain !== undefined
    ? { enabled, url, domain, ...rest }
    : { enabled: false }
}
