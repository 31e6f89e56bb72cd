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
 * Tracks readiness and owns the release of resources.
 * @example const lifecycle = createLifecycle(() => pool.close())
 */
export function createLifecycle(release: () => Promise<void>): Lifecycle {
  let state: LifecycleState = 'starting'
  let closing: Promise<void> | undefined
  return {
    get state() {
      return state
    },
    ready: () => {
      if (state === 'starting') state = 'ready'
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
