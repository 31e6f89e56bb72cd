import type { RequestObserver } from '../http/observe-requests.ts'
import { perKind, STANDARD_METHODS } from '../http/per-kind.ts'
import type { MetricDefinition } from './definition.ts'
import { exceptionLabel } from './exception-label.ts'
import type { Registry } from './registry.ts'

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10]
// By status class, as spring-boot's Outcome.forStatus has it.
const OUTCOMES = [
  'UNKNOWN',
  'INFORMATIONAL',
  'SUCCESS',
  'REDIRECTION',
  'CLIENT_ERROR',
  'SERVER_ERROR',
] as const

// Named and labelled as Spring Boot 3 names them (Micrometer's http.server.requests timer with the low-cardinality
// keys of spring-web's DefaultServerRequestObservationConvention plus `error`, in the sorted order Micrometer writes
// tags in), so dashboards made for Spring services work. `status` is the exact code: the app answers with a few.
const HTTP_METRICS = {
  requests: {
    name: 'http_server_requests_seconds',
    type: 'histogram',
    unit: 'seconds',
    help: 'HTTP server requests by error, exception, method, outcome, status and route template.',
    labels: {
      error: 'operational',
      exception: 'operational',
      method: 'operational',
      outcome: 'operational',
      status: 'operational',
      uri: 'operational',
    },
    buckets: LATENCY_BUCKETS,
    // http_server_requests_seconds_max, which Spring dashboards plot next to the rate.
    max: true,
  },
  active: {
    name: 'http_server_requests_active',
    type: 'gauge',
    help: 'HTTP server requests in flight.',
  },
} as const satisfies Record<string, MetricDefinition>

/**
 * Measures every request: duration and in-flight count. It reads the response's status only: reading its headers
 * makes Node's server build a full Response for every request (a tenth of a bare route's throughput), which is why
 * there is no response-size histogram. Labels are bounded: route templates (never raw paths), the methods Spring
 * knows (others are UNKNOWN), status codes, and error classes from a closed list (others are OTHER).
 * @example observeRequests([httpMetrics(registry)])
 */
export function httpMetrics(registry: Registry): RequestObserver {
  const requests = registry.histogram(HTTP_METRICS.requests)
  const active = registry.gauge(HTTP_METRICS.active).bind()
  const labelsOf = (requestMethod: string, uri: string, status: number, exception: string) => {
    // spring-web's HttpMethod.values() are the standard methods; others are UNKNOWN, as
    // DefaultServerRequestObservationConvention.method() has it.
    const method = STANDARD_METHODS.has(requestMethod) ? requestMethod : 'UNKNOWN'
    const outcome = OUTCOMES[status >= 100 && status < 600 ? Math.floor(status / 100) : 0] ?? 'UNKNOWN'
    return { error: exception, exception, method, outcome, status: String(status), uri }
  }
  // Every request that threw nothing has one of a few label sets: each is looked up once.
  const answered = perKind((method, uri, status) =>
    requests.bind(labelsOf(method, uri, status, exceptionLabel(undefined))),
  )
  return {
    entered: () => active.add(1),
    left: ({ method, route, status, durationMs, error }) => {
      active.add(-1)
      if (error === undefined) answered(method, route, status).observe(durationMs / 1000)
      else requests.observe(labelsOf(method, route, status, exceptionLabel(error)), durationMs / 1000)
    },
  }
}
