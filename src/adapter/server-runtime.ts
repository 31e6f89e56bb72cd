import { createHttp1Transport } from '../relay/http1/transport.ts'
import type { RuntimeCapabilities } from '../runtime/capabilities.ts'
import { serverClientAddress } from './client-address.ts'
import { connectMysql } from './mysql-database.ts'
import { connectNodeSocket } from './node-socket.ts'
import { createSystemProbe } from './system-probe.ts'

/**
 * Everything Node, Deno and Bun share: node:fs for disk space, mysql2 over node:net, the socket address, and events
 * sent as HTTP/1.1 over node:net (on every one of them cheaper than its own `fetch`: bench/RESULTS.md).
 */
export const SERVER_RUNTIME: RuntimeCapabilities = {
  system: createSystemProbe(),
  connectDatabase: connectMysql,
  clientAddress: serverClientAddress,
  eventTransport: createHttp1Transport(connectNodeSocket),
}
