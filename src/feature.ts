import type { Hono } from 'hono'

/**
 * What every feature (health, metrics, relay, version, the actuator index) hands the app: its routes, and the
 * hooks the app's lifecycle calls. A feature is built from its own settings and the ports it needs.
 */
export interface Feature {
  readonly routes: Hono
  /** The host has started serving: work that waited for it may begin. */
  readonly ready?: () => void
  /** Shutdown has begun: finish or give up pending work, within the feature's own bound. */
  readonly drain?: () => Promise<void>
}
