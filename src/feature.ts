import type { Hono } from 'hono'

/**
 * What every feature (health, metrics, relay, version, the actuator index) hands the app: its routes, and the
 * hooks the app's lifecycle calls. A feature is built from its own settings and the ports it needs.
 */
export interface Feature {
  readonly routes: Hono
  /** The host has started serving: work that waited for it may begin. */
  readonly ready?: () => void
  /**
   * Shutdown has begun and the host no longer serves: finish or give up pending work and release what the feature
   * holds, within the feature's own bound and by the time `signal` aborts.
   */
  readonly drain?: (signal: AbortSignal) => Promise<void>
  /**
   * What the feature last sent out of the installation, exactly as sent: its part of `/actuator/telemetry`, which
   * shows the parts of every feature side by side, so a customer can audit all that leaves.
   */
  readonly transmitted?: () => Readonly<Record<string, unknown>>
}
