import type { FetchHandler, ServerAdapter } from '../runtime/http-server.ts'

// The slice of Bun's API used here, declared locally so tsc and deno check need no Bun type package.
interface BunServer {
  readonly port: number
  stop(closeActiveConnections?: boolean): Promise<void>
}
interface BunGlobal {
  serve(options: {
    port: number
    hostname: string
    reusePort: boolean
    development: boolean
    fetch: FetchHandler
  }): BunServer
}

/** Serves through `Bun.serve`; `stop()` resolves once in-flight requests have finished. */
export const bunServer: ServerAdapter = {
  runtime: 'bun',
  listen: async (fetch, { port, hostname }) => {
    const { Bun } = globalThis as unknown as { Bun: BunGlobal }
    // Bun shares a taken port by default (SO_REUSEPORT); a second server must fail instead.
    const server = Bun.serve({ port, hostname, reusePort: false, development: false, fetch })
    return { port: server.port, close: () => server.stop() }
  },
}
