// The traffic mix: every route the standalone server answers, each with the answer it must give, its share of the
// traffic and how long it may take before it counts as a hang.

import { SITE, USER_AGENT } from '../../bench/relay/event.ts'
import type { RuntimeName } from './args.ts'
import { SOAK_SETTINGS } from './servers.ts'

/** Health components a fault takes down: a 503 naming only these, while their fault lasts, is expected. */
export type FaultedComponent = 'db' | 'remoteWrite'

export interface SoakRequest {
  /** Method and path as the report names it. */
  readonly route: string
  /** Its share of the traffic, relative to the others. */
  readonly weight: number
  readonly expected: number
  /**
   * Longer than this is a hang. Routes that wait for nothing but the server get QUICK_MS; those that ask the
   * database get the database's own bound plus the same margin.
   */
  readonly timeoutMs: number
  /** The health components its 503 may name while a fault has them down; none: a 503 is always wrong. */
  readonly downDuringFaults?: readonly FaultedComponent[]
  /** An event the relay must accept (202) and then account for. */
  readonly event?: true
  init(base: string, runtime: RuntimeName, visitor: string): { url: string; init: RequestInit }
}

/**
 * What an answer may take on two cores shared by three servers, MariaDB and this client: queueing only, since
 * nothing on these routes waits for a peer (the relay answers once the event is queued).
 */
const QUICK_MS = 2000
/** HEALTH_TIMEOUT_MS bounds each database call (docs/metrics-design.md); a collector then has 100 ms to report. */
const DATABASE_MS = SOAK_SETTINGS.healthTimeoutMs + 100 + QUICK_MS

const AUTHORIZED = { authorization: `Bearer ${SOAK_SETTINGS.managementToken}` }

const get =
  (path: string, headers: Record<string, string> = {}) =>
  (base: string) => ({
    url: `${base}${path}`,
    init: { headers } satisfies RequestInit,
  })

/** A POST as plausible-tracker sends it (text/plain), through the proxy the soak plays (X-Forwarded-For). */
const post =
  (
    body: (runtime: RuntimeName) => object | string,
    headers: (base: string) => Record<string, string> = () => ({}),
  ) =>
  (base: string, runtime: RuntimeName, visitor: string) => ({
    url: `${base}/api/event`,
    init: {
      method: 'POST',
      headers: {
        'content-type': 'text/plain',
        'user-agent': USER_AGENT,
        'x-forwarded-for': visitor,
        ...headers(base),
      },
      body: typeof body(runtime) === 'string' ? (body(runtime) as string) : JSON.stringify(body(runtime)),
    } satisfies RequestInit,
  })

// Each runtime's events carry its name as the first path segment, so the fake Plausible, which all servers share,
// can tell whose event it received.
const page = (runtime: RuntimeName, path: string) => `https://${SITE}/${runtime}${path}`

export const SOAK_REQUESTS: readonly SoakRequest[] = [
  { route: 'GET /version', weight: 10, expected: 200, timeoutMs: QUICK_MS, init: get('/version') },
  { route: 'GET /actuator', weight: 1, expected: 200, timeoutMs: QUICK_MS, init: get('/actuator') },
  { route: 'GET /actuator/info', weight: 1, expected: 200, timeoutMs: QUICK_MS, init: get('/actuator/info') },
  {
    route: 'GET /actuator/health',
    weight: 6,
    expected: 200,
    timeoutMs: DATABASE_MS,
    downDuringFaults: ['db', 'remoteWrite'],
    init: get('/actuator/health', AUTHORIZED),
  },
  {
    route: 'GET /actuator/health/liveness',
    weight: 6,
    expected: 200,
    timeoutMs: QUICK_MS,
    init: get('/actuator/health/liveness'),
  },
  {
    route: 'GET /actuator/health/readiness',
    weight: 6,
    expected: 200,
    timeoutMs: DATABASE_MS,
    downDuringFaults: ['db'],
    init: get('/actuator/health/readiness', AUTHORIZED),
  },
  {
    route: 'GET /actuator/health/{unknown}',
    weight: 1,
    expected: 404,
    timeoutMs: QUICK_MS,
    init: get('/actuator/health/broker', AUTHORIZED),
  },
  {
    route: 'GET /actuator/prometheus',
    weight: 2,
    expected: 200,
    timeoutMs: DATABASE_MS,
    init: get('/actuator/prometheus', AUTHORIZED),
  },
  {
    route: 'GET /actuator/prometheus (no token)',
    weight: 1,
    expected: 401,
    timeoutMs: QUICK_MS,
    init: get('/actuator/prometheus'),
  },
  {
    route: 'GET /actuator/metrics',
    weight: 2,
    expected: 200,
    timeoutMs: DATABASE_MS,
    init: get('/actuator/metrics', AUTHORIZED),
  },
  {
    route: 'GET /actuator/metrics/{name}',
    weight: 1,
    expected: 200,
    timeoutMs: DATABASE_MS,
    init: get('/actuator/metrics/http.server.requests', AUTHORIZED),
  },
  {
    route: 'GET /api/telemetry/config',
    weight: 2,
    expected: 200,
    timeoutMs: QUICK_MS,
    init: get('/api/telemetry/config'),
  },
  {
    route: 'POST /api/event pageview',
    weight: 8,
    expected: 202,
    timeoutMs: QUICK_MS,
    event: true,
    init: post((runtime) => ({ n: 'pageview', u: page(runtime, '/dashboard'), d: SITE, r: null, w: 1280 })),
  },
  {
    route: 'POST /api/event Feedback (own origin)',
    weight: 3,
    expected: 202,
    timeoutMs: QUICK_MS,
    event: true,
    init: post(
      (runtime) => ({
        name: 'Feedback',
        url: page(runtime, '/workspaces/soak'),
        domain: SITE,
        referrer: 'https://www.example.org/somewhere',
        props: { rating: 4, topic: 'soak', message: 'fine' },
      }),
      (base) => ({ origin: base }),
    ),
  },
  {
    route: 'POST /api/event engagement',
    weight: 2,
    expected: 202,
    timeoutMs: QUICK_MS,
    event: true,
    init: post((runtime) => ({
      n: 'engagement',
      u: page(runtime, '/dashboard'),
      d: SITE,
      r: null,
      sd: 40,
      e: 1200,
    })),
  },
  {
    route: 'POST /api/event (invalid)',
    weight: 2,
    expected: 400,
    timeoutMs: QUICK_MS,
    init: post((runtime) => ({ n: 'pageview', u: page(runtime, '/x'), d: 'elsewhere.example.com' })),
  },
  {
    route: 'POST /api/event (not JSON)',
    weight: 1,
    expected: 400,
    timeoutMs: QUICK_MS,
    init: post(() => '{"n":"pageview",'),
  },
  {
    route: 'POST /api/event (foreign origin)',
    weight: 1,
    expected: 403,
    timeoutMs: QUICK_MS,
    init: post(
      (runtime) => ({ n: 'pageview', u: page(runtime, '/dashboard'), d: SITE }),
      () => ({ origin: 'https://attacker.example.net' }),
    ),
  },
  { route: 'GET /no-such-route', weight: 2, expected: 404, timeoutMs: QUICK_MS, init: get('/no-such-route') },
]

/**
 * The requests in a fixed, evenly spread order, each as often as its weight (smooth weighted round robin), so
 * every stretch of the soak carries the same mix.
 * @example requestCycle(SOAK_REQUESTS).length // the sum of the weights
 */
export function requestCycle(requests: readonly SoakRequest[]): SoakRequest[] {
  const total = requests.reduce((sum, request) => sum + request.weight, 0)
  const current = requests.map(() => 0)
  const cycle: SoakRequest[] = []
  for (let step = 0; step < total; step++) {
    let best = 0
    for (const [index, request] of requests.entries()) {
      current[index] = (current[index] ?? 0) + request.weight
      if ((current[index] ?? 0) > (current[best] ?? 0)) best = index
    }
    current[best] = (current[best] ?? 0) - total
    cycle.push(requests[best] as SoakRequest)
  }
  return cycle
}
