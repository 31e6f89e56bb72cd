import type { HealthIndicator } from '../health.ts'

/** Always UP: the server answers. */
export const pingIndicator = (): HealthIndicator => async () => ({ status: 'UP' })
