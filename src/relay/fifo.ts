/** Below this many consumed slots, cutting them off would cost more than it frees. */
const COMPACT_AFTER = 1024

export interface Fifo<T> {
  readonly length: () => number
  push(item: T): void
  shift(): T | undefined
  /** Empties the list and returns what it held, oldest first. */
  takeAll(): T[]
}

/**
 * A first-in, first-out list whose `shift` costs O(1) however long it grows. `Array.prototype.shift` copies the
 * whole array once it is large (a 100,000-event backlog made every dequeue copy it), so items stay where they
 * were pushed and a head index moves past them; the consumed prefix is cut off once it is half the array, which
 * keeps the copying to O(1) per item on average.
 * @example const fifo = createFifo<number>(); fifo.push(1); fifo.shift() // 1
 */
export function createFifo<T>(): Fifo<T> {
  let items: (T | undefined)[] = []
  let head = 0
  return {
    length: () => items.length - head,
    push(item) {
      items.push(item)
    },
    shift() {
      if (head === items.length) return undefined
      const item = items[head]
      items[head++] = undefined // the consumer owns it now; the list must not keep it alive
      if (head === items.length) {
        items = []
        head = 0
      } else if (head >= COMPACT_AFTER && head * 2 >= items.length) {
        items = items.slice(head)
        head = 0
      }
      return item
    },
    takeAll() {
      const rest = items.slice(head) as T[]
      items = []
      head = 0
      return rest
    },
  }
}
