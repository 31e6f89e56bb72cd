import type { ServerAdapter } from '../../runtime/http-server.ts'
import { deno } from './api.ts'

/** Serves through `Deno.serve`, whose `shutdown()` already drains in-flight requests. */
export const denoServer: ServerAdapter = {
  runtime: 'deno',
  listen: (fetch, { port, hostname }) =>
    new Promise((resolve, reject) => {
      try {
        const server = deno().serve({ port, hostname, onListen: () => {} }, fetch)
        resolve({ port: server.addr.port, close: () => server.shutdown() })
      } catch (error) {
        reject(error)
      }
    }),
}
