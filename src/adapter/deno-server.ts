import type { FetchHandler, ServerAdapter } from '../runtime/http-server.ts'

// The slice of Deno's API used here, declared locally so tsc needs no Deno types and Node can load this file.
interface DenoServer {
  readonly addr: { readonly port: number }
  shutdown(): Promise<void>
}
interface DenoGlobal {
  serve(options: { port: number; hostname: string; onListen: () => void }, handler: FetchHandler): DenoServer
}

/** Serves through `Deno.serve`, whose `shutdown()` already drains in-flight requests. */
export const denoServer: ServerAdapter = {
  runtime: 'deno',
  listen: (fetch, { port, hostname }) =>
    new Promise((resolve, reject) => {
      try {
        const { Deno } = globalThis as unknown as { Deno: DenoGlobal }
        const server = Deno.serve({ port, hostname, onListen: () => {} }, fetch)
        resolve({ port: server.addr.port, close: () => server.shutdown() })
      } catch (error) {
        reject(error)
      }
    }),
}
