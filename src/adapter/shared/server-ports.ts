import type { OpenDurableFolder } from '../../runtime/files.ts'
import type { OpenHttpClient } from '../../runtime/http-client.ts'
import type { RuntimePorts } from '../../runtime/ports.ts'
import { serverClientAddress } from './client-address.ts'
import { lazyDatabase } from './lazy-database.ts'
import { loadMysql } from './load-mysql.ts'
import { createSystemProbe } from './system-probe.ts'

/** The server runtimes the module runs on. */
export type ServerRuntime = 'node' | 'deno' | 'bun'

/** The runtime this code runs on, for entries shared by all three (`src/mod.ts`). */
export const currentRuntime = (): ServerRuntime =>
  'Deno' in globalThis ? 'deno' : 'Bun' in globalThis ? 'bun' : 'node'

/**
 * The ports on Node, Deno and Bun: node:fs and node:os for the system probe, mysql2 for the database, the socket
 * address, and the outbound HTTP and the spool's files the entry chose: undici on Node (`undiciHttpClients`), the
 * runtime's own `fetch` on Deno and Bun (`openFetchHttpClient`), each reading the proxy variables; node:fs, or
 * Deno's own file API for Deno's standalone server.
 * @example const ports = serverPorts(undiciHttpClients(DIRECT), nodeOpenDurableFolder)
 */
export function serverPorts(
  openHttpClient: OpenHttpClient,
  openDurableFolder: OpenDurableFolder,
): RuntimePorts {
  return {
    openHttpClient,
    openDurableFolder,
    system: createSystemProbe(),
    connectDatabase: lazyDatabase(loadMysql),
    clientAddress: serverClientAddress,
  }
}
