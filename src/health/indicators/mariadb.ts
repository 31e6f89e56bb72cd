import type { DatabaseClient } from '../../runtime/database.ts'
import type { HealthIndicator } from '../health.ts'

/**
 * Runs the validation query and reports the documented details, in the documented order:
 * `{"database":"MariaDB","result":1,"validationQuery":"SELECT 1"}`. Failures reject with the client's safe error.
 * @example mariadbIndicator(client, 'SELECT 1')
 */
export function mariadbIndicator(client: DatabaseClient, validationQuery: string): HealthIndicator {
  return async (signal) => {
    const { product, result } = await client.validate(validationQuery, signal)
    return { status: 'UP', details: { database: product, result, validationQuery } }
  }
}
