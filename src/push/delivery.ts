import { within } from '../deadline.ts'

/** What one attempt to send a batch came to. */
export type Attempt =
  | { readonly outcome: 'sent' }
  /** The receiver will not take it (a 4xx other than 429): sending it again would not help. */
  | { readonly outcome: 'refused'; readonly detail: string }
  /** It may take it later: a 5xx, a 429, or no answer; `afterMs` is the wait the receiver asked for, if any. */
  | { readonly outcome: 'retry'; readonly detail: string; readonly afterMs?: number }

export interface DeliveryOptions<T> {
  /** Batches kept while the receiver cannot take them; beyond, the oldest is given up. */
  readonly capacity: number
  readonly backoff: { readonly initialMs: number; readonly maxMs: number }
  send(batch: T): Promise<Attempt>
  /**
   * Every batch ends here once: sent, refused by the receiver, dropped (the buffer full), or left unsent at shutdown.
   */
  settled(batch: T, outcome: 'sent' | 'refused' | 'dropped' | 'left', attempt?: Attempt): void
  /** A send that will be tried again, after `delayMs`. */
  retrying(batch: T, attempt: Attempt, delayMs: number): void
}

export interface Delivery<T> {
  /** Queues a batch behind the others; when the buffer is full the oldest waiting batch is dropped. */
  enqueue(batch: T): void
  readonly pending: () => number
  /** Drops the oldest waiting batch, never the one being sent, while `over` holds for it. */
  dropWhile(over: (oldest: T) => boolean): void
  /** Sends what is queued until none is left or `signal` aborts; what is left then is settled as left. */
  flush(signal: AbortSignal): Promise<void>
}

/**
 * Sends batches one at a time, oldest first, so each series' samples reach the receiver in time order (remote write
 * receivers refuse out-of-order samples). A batch that may be taken later is retried, the buffer holding the ones
 * behind it, with exponential backoff and jitter, or after the wait a 429 asked for.
 * @example const delivery = createDelivery({ capacity: 20, backoff: { initialMs: 1000, maxMs: 60_000 }, send, settled, retrying })
 */
export function createDelivery<T>(options: DeliveryOptions<T>): Delivery<T> {
  const queue: T[] = []
  let sending: Promise<void> | undefined
  let wake: (() => void) | undefined
  let stopping = false

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms)
      wake = () => {
        clearTimeout(timer)
        resolve()
      }
    }).finally(() => {
      wake = undefined
    })

  const run = async (): Promise<void> => {
    let failures = 0
    while (queue.length > 0) {
      const batch = queue[0] as T
      const attempt = await options.send(batch)
      // Dropped while it was being sent (buffer full, or shutdown): already settled.
      if (queue[0] !== batch) continue
      if (attempt.outcome !== 'retry') {
        queue.shift()
        failures = 0
        options.settled(batch, attempt.outcome === 'sent' ? 'sent' : 'refused', attempt)
        continue
      }
      // At shutdown a failed try is the last one.
      if (stopping) return
      failures++
      const backoff = Math.min(options.backoff.initialMs * 2 ** (failures - 1), options.backoff.maxMs)
      // Jitter over the upper half: replicas that failed together do not come back together. A receiver's wait is
      // never shorter than the backoff's first step, however soon it asks to be tried again.
      const delayMs =
        attempt.afterMs === undefined
          ? Math.round(backoff * (0.5 + Math.random() / 2))
          : Math.max(attempt.afterMs, options.backoff.initialMs)
      options.retrying(batch, attempt, delayMs)
      await pause(delayMs)
    }
  }

  const start = (): void => {
    sending ??= run().finally(() => {
      sending = undefined
    })
  }

  return {
    enqueue(batch) {
      if (queue.length >= options.capacity) {
        // The one being sent stays; the oldest behind it goes.
        const index = sending !== undefined && queue.length > 1 ? 1 : 0
        const [dropped] = queue.splice(index, 1)
        options.settled(dropped as T, 'dropped')
      }
      queue.push(batch)
      start()
    },
    pending: () => queue.length,
    dropWhile(over) {
      const first = sending !== undefined ? 1 : 0
      while (queue.length > first && over(queue[first] as T)) {
        const [dropped] = queue.splice(first, 1)
        options.settled(dropped as T, 'dropped')
      }
    },
    async flush(signal) {
      stopping = true
      // A backoff in progress ends now: at shutdown one more try is worth more than the wait.
      wake?.()
      start()
      if (sending !== undefined) await within(sending, signal)
      for (const batch of queue.splice(0)) options.settled(batch, 'left')
    },
  }
}
