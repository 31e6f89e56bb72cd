import type { ServerAdapter } from '../../runtime/http-server.ts'
import { deno } from './api.ts'
import { guardConnections } from './guarded-connections.ts'

/**
 * Serves through `Deno.serve`, whose `shutdown()` drains in-flight requests; with `denoConnectionTimeouts`, behind
 * a front that keeps Node's connection deadlines, which Deno.serve has none of (guarded-connections.ts).
 */
export const denoServer: ServerAdapter = {
  runtime: 'deno',
  listen: (fetch, { port, hostname, denoConnectionTimeouts }) =>
    new Promise((resolve, reject) => {
      try {
        if (!denoConnectionTimeouts) {
          const server = deno().serve({ port, hostname, onListen: () => {} }, fetch)
          resolve({ port: server.addr.port, close: () => server.shutdown() })
          return
        }
        const listener = deno().listen({ port, hostname })
        const front = guardConnections(listener, fetch)
        const inner = deno().serve({ port: 0, hostname: '127.0.0.1', onListen: () => {} }, front.handler)
        front.accept(inner.addr.port)
        resolve({
          port: listener.addr.port,
          close: async () => {
            await front.stopAccepting()
            await inner.shutdown()
            await front.finish()
          },
        })
      } catch (error) {
        reject(error)
      }
    }),
}
