import type { RuntimeCapabilities } from '../runtime/capabilities.ts'
import { serverClientAddress } from './client-address.ts'
import { connectMysql } from './mysql-database.ts'
import { createSystemProbe } from './system-probe.ts'

/** Everything Node, Deno and Bun share: node:fs for disk space, mysql2 over node:net, the socket address. */
export const SERVER_RUNTIME: RuntimeCapabilities = {
  system: createSystemProbe(),
  connectDatabase: connectMysql,
  clientAddress: serverClientAddress,
}
