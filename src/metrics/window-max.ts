// Micrometer's decaying maximum, TimeWindowMax (micrometer-core, instrument/distribution/TimeWindowMax.java), with
// the Prometheus registry's settings: it rotates every PrometheusConfig.step() (1 minute) through
// DistributionStatisticConfig.DEFAULT's bufferLength (3) slots. A value goes into every slot, the current slot is
// read, and a rotation clears the slot it leaves: the largest value stays visible for 2 to 3 minutes, then
// decays to what came after it, or to 0 when nothing did.
const ROTATE_MS = 60_000
const SLOTS = 3

/**
 * The largest value recorded within the last 2 to 3 minutes, as Micrometer reports a Timer's `_max`.
 * @example const max = new WindowMax(); max.record(0.2); max.poll() // 0.2
 */
export class WindowMax {
  readonly #slots: number[] = Array<number>(SLOTS).fill(0)
  #current = 0
  #lastRotateMs: number
  readonly #now: () => number

  /** `now` in milliseconds, monotonic; tests pass their own clock. */
  constructor(now: () => number = () => performance.now()) {
    this.#now = now
    this.#lastRotateMs = now()
  }

  record(value: number): void {
    this.#rotate()
    for (let slot = 0; slot < SLOTS; slot++)
      if (value > (this.#slots[slot] as number)) this.#slots[slot] = value
  }

  poll(): number {
    this.#rotate()
    return this.#slots[this.#current] as number
  }

  #rotate(): void {
    const now = this.#now()
    let elapsed = now - this.#lastRotateMs
    if (elapsed < ROTATE_MS) return
    if (elapsed >= ROTATE_MS * SLOTS) {
      // Quiet for a whole window: every slot is stale.
      this.#slots.fill(0)
      this.#current = 0
      this.#lastRotateMs = now - (elapsed % ROTATE_MS)
      return
    }
    while (elapsed >= ROTATE_MS) {
      this.#slots[this.#current] = 0
      this.#current = (this.#current + 1) % SLOTS
      elapsed -= ROTATE_MS
      this.#lastRotateMs += ROTATE_MS
    }
  }
}
