import type { RuntimeCapabilities } from '../runtime/capabilities.ts'
import { serverClientAddress } from './client-address.ts'
import { connectMysql } from './mysql-database.ts'
import { createNodeEventTransport } from './node-event-transport.ts'
import { createSystemProbe } from './system-probe.ts'

/** Deno and Bun emulate node:http on top of their own, native `fetch`, which is the cheaper one there. */
const onNode = !('Deno' in globalThis) && !('Bun' in globalThis)

/**
 * Everything Node, Deno and Bun share: node:fs for disk space, mysql2 over node:net, the socket address; and on
 * Node, node:http to forward events.
 */
export const SERVER_RUNTIME: RuntimeCapabilities = {
  system: createSystemProbe(),
  connectDatabase: connectMysql,
  clientAddress: serverClientAddress,
  ...(onNode && { eventTransport: createNodeEventTransport() }),
}
