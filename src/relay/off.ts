import { Hono } from 'hono'
import type { Feature } from '../feature.ts'

/**
 * The relay while it is off: only the answer that tells the page to send nothing, and no `/api/event` (404).
 * @example app.route('/', relayOff().routes)
 */
export function relayOff(): Feature {
  return {
    routes: new Hono().get('/api/telemetry/config', (c) =>
      c.json({ enabled: false }, 200, { 'cache-control': 'no-store' }),
    ),
    transmitted: () => ({ relay: { enabled: false } }),
  }
}
