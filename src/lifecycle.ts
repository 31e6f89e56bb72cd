/** Where the module is in its life: readiness is UP only while `ready`. */
export type LifecycleState = 'starting' | 'ready' | 'draining' | 'closed'

export interface Lifecycle {
  readonly state: LifecycleState
  /** The host has finished starting: readiness turns UP. */
  ready(): void
  /** Shutdown has begun: readiness turns OUT_OF_SERVICE so load balancers stop sending traffic. */
  drain(): void
  /** Releases what the module holds (the database pool). Safe to call more than once. */
  close(): Promise<void>
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
  release(): Promise<void>
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
    close: () => {
      state = 'closed'
      closing ??= release()
      return closing
    },
  }
}
