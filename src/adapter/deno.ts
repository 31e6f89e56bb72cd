import type { ServerAdapter } from './server-adapter.ts'

/** Serves through `Deno.serve`, whose `shutdown()` already drains in-flight requests. */
export const denoAdapter: ServerAdapter = {
  runtime: 'deno',
  listen: (fetch, { port, hostname }) =>
    new Promise((resolve, reject) => {
      try {
        const server = Deno.serve({ port, hostname, onListen: () => {} }, fetch)
        resolve({ port: server.addr.port, close: () => server.shutdown() })
      } catch (error) {
        reject(error)
      }
    }),
}
