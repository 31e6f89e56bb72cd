import { loadOptional } from '../../runtime/optional-package.ts'
import type { connectMysql } from './mysql-database.ts'

/**
 * Loads the mysql2 adapter, and with it mysql2, an optional peer: its first query does, or the standalone server
 * before it listens.
 * @example const connect = await loadMysql()
 */
export async function loadMysql(): Promise<typeof connectMysql> {
  const adapter = await loadOptional(
    () => import('./mysql-database.ts'),
    ['mysql2'],
    'database.url (DATABASE_URL)',
  )
  return adapter.connectMysql
}
