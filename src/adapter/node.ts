import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import type { ServerAdapter } from './server-adapter.ts'

/** Serves through `@hono/node-server` (node:http). */
export const nodeAdapter: ServerAdapter = {
  runtime: 'node',
  listen: (fetch, { port, hostname }) =>
    new Promise((resolve, reject) => {
      const server = serve({ fetch, port, hostname }, (info: AddressInfo) => {
        server.off('error', reject)
        resolve({
          port: info.port,
          close: () =>
            new Promise<void>((closed) => {
              // close() waits for in-flight requests; idle keep-alive sockets would hold it open for nothing.
              server.close(() => closed())
              if ('closeIdleConnections' in server) server.closeIdleConnections()
            }),
        })
      })
      server.once('error', reject)
    }),
}
