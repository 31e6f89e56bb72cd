import type { RuntimeCapabilities } from '../runtime/capabilities.ts'
import { connectMysql } from './mysql-database.ts'
import { nodeSystemProbe } from './system-probe.ts'

/** Everything Node, Deno and Bun share: node:fs for disk space, mysql2 over node:net for the database. */
export const SERVER_RUNTIME: RuntimeCapabilities = {
  system: nodeSystemProbe,
  connectDatabase: connectMysql,
}
