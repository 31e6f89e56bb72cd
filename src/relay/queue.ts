import { within } from '../deadline.ts'
import { createFifo } from './fifo.ts'

export interface ForwardingQueueOptions<T, R> {
  readonly capacity: number
  readonly concurrency: number
  /** How long after acceptance an item may still be retried. */
  readonly retryWindowMs: number
  readonly backoff: { readonly initialMs: number; readonly maxMs: number }
  /** Sends one item. */
  send(item: T): Promise<R>
  /**
   * Takes the result of a send whose item the queue still holds (a drain that ended meanwhile gave it up, and its
   * result counts for nothing): `retry` when the item surely did not arrive.
   */
  sent(item: T, result: R): 'done' | 'retry'
  /**
   * Called for an item given up: its retry window passed, its send threw, or it was still queued or in flight when a
   * drain ended.
   */
  onGiveUp(item: T): void
}

export interface ForwardingQueue<T> {
  /**
   * Queues an item; undefined when full or drained, otherwise a promise settled once the item is sent or given up.
   */
  offer(item: T): Promise<void> | undefined
  readonly depth: () => number
  /** Whether a drain has ended: an item offered now would never be sent, so none is taken. */
  readonly drained: () => boolean
  /**
   * Sends what is queued, waiting at most `timeoutMs` and until `signal` aborts; gives up what is left and resolves
   * with how many that was.
   */
  drain(timeoutMs: number, signal: AbortSignal): Promise<number>
}

interface Entry<T> {
  readonly item: T
  readonly sequence: number
  readonly acceptedAt: number
  attempts: number
  /** Starts the entry's next send: resolves the promise its own request made (`awaitTurn`). */
  start: () => void
  readonly settle: () => void
}

/**
 * A bounded in-memory queue with limited concurrency. After a failed send it backs off, then sends one item at a
 * time until the backlog is gone, so events queued during an outage arrive after it in the order they came.
 *
 * Whoever frees a slot only hands it on: each item is sent from a promise made where it was offered, so its send
 * runs in the offering request's context. On workerd a request's I/O fails in any other request's context, and a
 * request's work ends with its response and its `waitUntil`, which covers its own item only; workerd runs a
 * promise's continuation in the context that made the promise (src/workerd/io/io-own.c++).
 * @example const queue = createForwardingQueue({ capacity: 1000, concurrency: 16, ... })
 */
export function createForwardingQueue<T, R>(options: ForwardingQueueOptions<T, R>): ForwardingQueue<T> {
  const fresh = createFifo<Entry<T>>()
  /**
   * Entries whose send must be repeated, by sequence. Entries are taken in sequence order, so each of these is
   * older than every fresh one: together, retried then fresh, they are the backlog in the order it came.
   */
  const retrying: Entry<T>[] = []
  const backlog = () => retrying.length + fresh.length()
  const next = (): Entry<T> | undefined => retrying.shift() ?? fresh.shift()
  /** Entries being sent; one a drain gave up is no longer here when its send ends. */
  const sending = new Set<Entry<T>>()
  let sequence = 0
  let recovering = false
  let backingOff = false
  let resume: ReturnType<typeof setTimeout> | undefined
  let idle: (() => void) | undefined
  let pumpScheduled = false
  let drained = false

  const settleIfIdle = () => {
    if (backlog() === 0 && sending.size === 0) idle?.()
  }

  const requeue = (entry: Entry<T>): void => {
    const index = retrying.findIndex((other) => other.sequence > entry.sequence)
    retrying.splice(index === -1 ? retrying.length : index, 0, entry)
  }

  /** Makes the promise whose resolution sends the entry; called in the entry's own context, at offer or retry. */
  const awaitTurn = (entry: Entry<T>): void => {
    void new Promise<void>((resolve) => {
      entry.start = resolve
    })
      .then(() => options.send(entry.item))
      .then(
        (result) => {
          if (sending.delete(entry)) finish(entry, options.sent(entry.item, result))
        },
        () => {
          if (sending.delete(entry)) finish(entry, 'failed')
        },
      )
  }

  const pump = (): void => {
    // A scheduled pump may never run: on workerd a timer dies with the request that set it once that request's
    // work is done. Any pump does what the scheduled one would, so the next offer schedules afresh.
    pumpScheduled = false
    const limit = recovering ? 1 : options.concurrency
    while (sending.size < limit && backlog() > 0 && !backingOff) {
      const entry = next() as Entry<T>
      sending.add(entry)
      entry.start()
    }
    if (backlog() === 0 && sending.size === 0) recovering = false
    settleIfIdle()
  }

  /**
   * Sending starts on a later turn of the event loop, never inside `offer`: the caller's response goes out first
   * instead of waiting for the upstream request to be set up, and events offered together are sent together.
   */
  const schedulePump = (): void => {
    if (pumpScheduled) return
    pumpScheduled = true
    setTimeout(pump, 0)
  }

  const giveUp = (entry: Entry<T>): void => {
    options.onGiveUp(entry.item)
    entry.settle()
  }

  const finish = (entry: Entry<T>, result: 'done' | 'retry' | 'failed'): void => {
    if (result === 'done') entry.settle()
    if (result === 'failed') giveUp(entry)
    if (result === 'retry') {
      entry.attempts++
      if (performance.now() - entry.acceptedAt > options.retryWindowMs) {
        giveUp(entry)
      } else {
        awaitTurn(entry)
        requeue(entry)
        recovering = true
        const delay = Math.min(options.backoff.initialMs * 2 ** (entry.attempts - 1), options.backoff.maxMs)
        backingOff = true
        clearTimeout(resume)
        resume = setTimeout(() => {
          backingOff = false
          pump()
        }, delay)
      }
    }
    pump()
  }

  return {
    offer(item) {
      if (drained || backlog() + sending.size >= options.capacity) return undefined
      let settle = () => {}
      const settled = new Promise<void>((resolve) => {
        settle = resolve
      })
      const entry: Entry<T> = {
        item,
        sequence: sequence++,
        acceptedAt: performance.now(),
        attempts: 0,
        start() {},
        settle,
      }
      awaitTurn(entry)
      fresh.push(entry)
      schedulePump()
      return settled
    },
    depth: () => backlog() + sending.size,
    drained: () => drained,
    async drain(timeoutMs, signal) {
      let timer: ReturnType<typeof setTimeout> | undefined
      const deadline = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs)
      })
      const emptied = new Promise<void>((resolve) => {
        idle = resolve
        settleIfIdle()
      })
      await within(Promise.race([emptied, deadline]), signal)
      clearTimeout(timer)
      clearTimeout(resume)
      drained = true
      // Sends still in flight are given up too: whether their events arrive is no longer known.
      const left = [...sending, ...retrying.splice(0), ...fresh.takeAll()]
      sending.clear()
      for (const entry of left) giveUp(entry)
      return left.length
    },
  }
}
