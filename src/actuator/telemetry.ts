import { Hono } from 'hono'
import type { Feature } from '../feature.ts'
import { type IsManager, managerOnly } from '../http/bearer.ts'

/**
 * `GET /actuator/telemetry`: everything the installation transmits, for a customer to audit: each feature's part
 * (the push's last request, the relay's last events), exactly as sent, behind the management token.
 * @example app.route('/', telemetryRoutes(features, isManager))
 */
export function telemetryRoutes(features: readonly Feature[], isManager: IsManager): Hono {
  return new Hono().get('/actuator/telemetry', managerOnly(isManager), (c) =>
    c.json(Object.assign({}, ...features.map((feature) => feature.transmitted?.())), 200, {
      'cache-control': 'no-store',
    }),
  )
}
