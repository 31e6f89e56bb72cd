/** Where the module is in its life: readiness is UP only while `ready`. */
export type LifecycleState = 'starting' | 'ready' | 'draining' | 'closed'

/** The module's life as its host drives it: `ready()` once serving, `drain()` when shutdown begins, `close()` last. */
export interface Lifecycle {
  /** Where it is now; readiness is UP only while `ready`. */
  readonly state: LifecycleState
  /** The host has finished starting: readiness turns UP. */
  ready(): void
  /** Shutdown has begun: readiness turns OUT_OF_SERVICE so load balancers stop sending traffic. */
  drain(): void
  /**
   * Finishes the module's background work and releases what it holds: the relay sends what it still holds (for at
   * most `plausible.drainTimeoutMs`), then its connections and the database pool close. With a `signal`, all of it
   * ends by the time the signal aborts. Call it once your server no longer serves. Later calls share the first's work.
   */
  close(signal?: AbortSignal): Promise<void>
}

/**
 * Tracks readiness and owns the start and release of background work and resources.
 * @example const lifecycle = createLifecycle({ onReady: () => warmCaches(), release: () => pool.close() })
 */
export function createLifecycle({
  onReady,
  release,
}: {
  onReady(): void
  release(signal: AbortSignal): Promise<void>
}): Lifecycle {
  let state: LifecycleState = 'starting'
  let closing: Promise<void> | undefined
  return {
    get state() {
      return state
    },
    ready: () => {
      if (state !== 'starting') return
      state = 'ready'
      onReady()
    },
    drain: () => {
      if (state !== 'closed') state = 'draining'
    },
    close: (signal = new AbortController().signal) => {
      state = 'closed'
      closing ??= release(signal)
      return closing
    },
  }
}
