import type { Logger } from '../logging/logger.ts'
import { createRateLimitedLog } from '../logging/rate-limited.ts'
import type { HttpClient } from '../runtime/http-client.ts'
import {
  createPlausibleClient,
  type SendFailure,
  type SendResult,
  type TimeoutSignals,
  type Visitor,
} from './client.ts'
import type { RelayMetrics } from './metrics.ts'
import type { EnabledPlausibleSettings } from './options.ts'
import { createForwardingQueue } from './queue.ts'
import type { UpstreamEvent } from './sanitize.ts'

export interface Job {
  readonly event: UpstreamEvent
  readonly visitor: Visitor
}

export interface Forwarding {
  /**
   * Queues an event; undefined when the queue is full (counted `overflow`, logged at most once a minute), otherwise
   * settled once it is sent or given up.
   */
  offer(job: Job): Promise<void> | undefined
  /**
   * Sends what is queued, for at most the drain timeout and until `signal` aborts. What is still queued or in flight
   * then is given up: counted failed, and logged at WARN with how many events that was. The log's pending counts are
   * written too. Events offered afterwards are refused.
   */
  drain(signal: AbortSignal): Promise<void>
}

/** One line per kind of failure: a reason with its status, timeout or error message. */
const keyOf = (failure: SendFailure): string => Object.values(failure).join(' ')

/**
 * Sends accepted events to Plausible in the background, in order, each outcome counted. Failed sends and refused
 * events are logged at WARN, at most once a minute per kind, with how many there were.
 * @example const forwarding = createForwarding(settings, http, relayMetrics(registry), logger, 'shared')
 */
export function createForwarding(
  settings: EnabledPlausibleSettings,
  http: HttpClient,
  metrics: RelayMetrics,
  logger: Logger,
  signals: TimeoutSignals,
): Forwarding {
  const plausible = createPlausibleClient({ url: settings.url, timeoutMs: settings.timeoutMs, http, signals })
  const log = createRateLimitedLog(logger.warn)
  const queue = createForwardingQueue<Job, SendResult>({
    capacity: settings.queueSize,
    concurrency: settings.concurrency,
    retryWindowMs: settings.retryWindowMs,
    backoff: { initialMs: 250, maxMs: 5000 },
    send: ({ event, visitor }) => plausible.send(event, visitor),
    sent(_job, { outcome, failure }) {
      if (failure !== undefined) log.write(keyOf(failure), 'relay send failed', failure)
      if (outcome === 'retry') {
        metrics.retried()
        return 'retry'
      }
      metrics.count(outcome)
      return 'done'
    },
    onGiveUp: () => metrics.count('failed'),
  })
  metrics.watchQueue(queue.depth)
  return {
    offer(job) {
      const queued = queue.offer(job)
      if (queued === undefined) {
        metrics.count('overflow')
        if (queue.drained()) log.write('stopped', 'relay stopped, events refused')
        else log.write('queue-full', 'relay queue full, events refused', { queueSize: settings.queueSize })
      }
      return queued
    },
    async drain(signal) {
      const dropped = await queue.drain(settings.drainTimeoutMs, signal)
      log.flush()
      if (dropped > 0) logger.warn('relay shutdown: events dropped', { dropped })
    },
  }
}
