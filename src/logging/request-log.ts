import type { RequestObserver } from '../http/observe-requests.ts'
import { perKind } from '../http/per-kind.ts'
import { type Logger, membersOf } from './logger.ts'

/**
 * Logs one line per request with method, route template, status and duration. No path, query, IP or
 * header is logged: those can carry customer data.
 * @example observeRequests([requestLog(logger)])
 */
export function requestLog(logger: Logger): RequestObserver {
  const request = logger.linesOf('info', 'request')
  // Only the duration differs between the lines of one kind of request.
  const fieldsOf = perKind((method, route, status) => membersOf({ method, route, status }))
  return {
    left: ({ method, route, status, durationMs }) =>
      request(`${fieldsOf(method, route, status)},"durationMs":${Math.round(durationMs * 100) / 100}`),
  }
}
