import type { Logger } from '../logging/logger.ts'
import { createRateLimitedLog } from '../logging/rate-limited.ts'
import type { HttpClient } from '../runtime/http-client.ts'
import { createPlausibleClient, type SendFailure, type Visitor } from './client.ts'
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
   * Sends what is queued, for at most the drain timeout; what is left is counted failed. Then writes the counts of
   * send failures the log has not reported yet.
   */
  drain(): Promise<void>
}

/** One line per kind of failure: a reason with its status, timeout or error message. */
const keyOf = (failure: SendFailure): string => Object.values(failure).join(' ')

/**
 * Sends accepted events to Plausible in the background, in order, each outcome counted. Failed sends and refused
 * events are logged at WARN, at most once a minute per kind, with how many there were.
 * @example const forwarding = createForwarding(settings, http, relayMetrics(registry), logger)
 */
export function createForwarding(
  settings: EnabledPlausibleSettings,
  http: HttpClient,
  metrics: RelayMetrics,
  logger: Logger,
): Forwarding {
  const plausible = createPlausibleClient({ url: settings.url, timeoutMs: settings.timeoutMs, http })
  const log = createRateLimitedLog(logger.warn)
  const queue = createForwardingQueue<Job>({
    capacity: settings.queueSize,
    concurrency: settings.concurrency,
    retryWindowMs: settings.retryWindowMs,
    backoff: { initialMs: 250, maxMs: 5000 },
    async send({ event, visitor }) {
      const { outcome, failure } = await plausible.send(event, visitor)
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
        log.write('queue-full', 'relay queue full, events refused', { queueSize: settings.queueSize })
      }
      return queued
    },
    async drain() {
      await queue.drain(settings.drainTimeoutMs)
      log.flush()
    },
  }
}
