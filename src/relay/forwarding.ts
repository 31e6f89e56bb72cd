import type { HttpClient } from '../runtime/http-client.ts'
import { createPlausibleClient, type Visitor } from './client.ts'
import type { RelayMetrics } from './metrics.ts'
import type { EnabledPlausibleSettings } from './options.ts'
import { createForwardingQueue } from './queue.ts'
import type { UpstreamEvent } from './sanitize.ts'

export interface Job {
  readonly event: UpstreamEvent
  readonly visitor: Visitor
}

export interface Forwarding {
  /** Queues an event; undefined when the queue is full, otherwise settled once it is sent or given up. */
  offer(job: Job): Promise<void> | undefined
  /** Sends what is queued, for at most the drain timeout; what is left is counted failed. */
  drain(): Promise<void>
}

/**
 * Sends accepted events to Plausible in the background, in order, each outcome counted.
 * @example const forwarding = createForwarding(settings, http, relayMetrics(registry))
 */
export function createForwarding(
  settings: EnabledPlausibleSettings,
  http: HttpClient,
  metrics: RelayMetrics,
): Forwarding {
  const plausible = createPlausibleClient({ url: settings.url, timeoutMs: settings.timeoutMs, http })
  const queue = createForwardingQueue<Job>({
    capacity: settings.queueSize,
    concurrency: settings.concurrency,
    retryWindowMs: settings.retryWindowMs,
    backoff: { initialMs: 250, maxMs: 5000 },
    async send({ event, visitor }) {
      const outcome = await plausible.send(event, visitor)
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
  return { offer: (job) => queue.offer(job), drain: () => queue.drain(settings.drainTimeoutMs) }
}
