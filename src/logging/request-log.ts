import type { RequestObserver } from '../http/observe-requests.ts'
import type { Logger } from './logger.ts'

/**
 * Logs one line per request with method, route template, status and duration. No path, query, IP or
 * header is logged: those can carry customer data.
 * @example observeRequests([requestLog(logger)])
 */
export function requestLog(logger: Logger): RequestObserver {
  return {
    left: ({ method, route, status, durationMs }) =>
      logger.info('request', { method, route, status, durationMs: Math.round(durationMs * 100) / 100 }),
  }
}
