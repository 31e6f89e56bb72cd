import type { ProxySettings } from '../config/proxy.ts'
import type { RuntimePorts } from '../runtime/ports.ts'
import { serverClientAddress } from './client-address.ts'
import { openFetchHttpClient } from './fetch-http-client.ts'
import { lazyDatabase } from './lazy-database.ts'
import { createSystemProbe } from './system-probe.ts'
import { undiciHttpClients } from './undici-http-client.ts'

/** The server runtimes the module runs on. */
export type ServerRuntime = 'node' | 'deno' | 'bun'

/** The runtime this code runs on, for entries shared by all three (`src/mod.ts`). */
export const currentRuntime = (): ServerRuntime =>
  'Deno' in globalThis ? 'deno' : 'Bun' in globalThis ? 'bun' : 'node'

/**
 * The ports on Node, Deno and Bun: node:fs and node:os for the system probe, mysql2 for the database, the socket
 * address, and outbound HTTP with undici on Node and the runtime's own `fetch` on Deno and Bun (both read the proxy
 * variables that `proxy` was read from).
 * @example const ports = serverPorts('node', DIRECT)
 */
export function serverPorts(runtime: ServerRuntime, proxy: ProxySettings): RuntimePorts {
  return {
    openHttpClient: runtime === 'node' ? undiciHttpClients(proxy) : openFetchHttpClient,
    system: createSystemProbe(),
    connectDatabase: lazyDatabase(async () => (await import('./mysql-database.ts')).connectMysql),
    clientAddress: serverClientAddress,
  }
}
