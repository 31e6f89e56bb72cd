import type { Context } from 'hono'
import type { ClientAddress } from './client-address.ts'
import type { DatabaseConnector } from './database.ts'
import type { OpenDurableFolder } from './files.ts'
import type { OpenHttpClient } from './http-client.ts'
import type { SystemProbe } from './system-probe.ts'

/**
 * What the core needs from a runtime beyond Web standards, chosen once by each entry (src/mod.ts, src/edge.ts and
 * the standalone server). Node, Deno and Bun provide every port; an edge runtime provides outbound HTTP and the
 * client address only, and the features that need the rest are left out rather than faked.
 */
export interface RuntimePorts {
  readonly openHttpClient: OpenHttpClient
  readonly system?: SystemProbe
  readonly connectDatabase?: DatabaseConnector
  readonly clientAddress?: ClientAddress
  readonly keepRunning?: KeepRunning
  /** A file system for the push's spool; none on the edge. */
  readonly openDurableFolder?: OpenDurableFolder
  /**
   * Set where an I/O object, a timer's abort signal among them, belongs to the request that made it and fails in
   * any other ("Cannot perform I/O on behalf of a different request", workerd): the features then make such objects
   * per request instead of sharing them between requests.
   */
  readonly requestScopedIo?: boolean
}

/** Keeps work running after the response is sent, where the runtime would otherwise stop it (edge). */
export type KeepRunning = (c: Context, work: Promise<void>) => void
