import type { ServerAdapter } from '../../runtime/http-server.ts'
import { bun } from './api.ts'

/** Serves through `Bun.serve`; `stop()` resolves once in-flight requests have finished. */
export const bunServer: ServerAdapter = {
  runtime: 'bun',
  listen: async (fetch, { port, hostname }) => {
    // Bun shares a taken port by default (SO_REUSEPORT); a second server must fail instead.
    const server = bun().serve({ port, hostname, reusePort: false, development: false, fetch })
    return { port: server.port, close: () => server.stop() }
  },
}
