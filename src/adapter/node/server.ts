import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import type { ServerAdapter } from '../../runtime/http-server.ts'

const IDLE_SWEEP_MS = 50

/** Serves through `@hono/node-server` (node:http). */
export const nodeServer: ServerAdapter = {
  runtime: 'node',
  listen: (fetch, { port, hostname }) =>
    new Promise((resolve, reject) => {
      // Passing node:http's createServer pins the server type: HTTP/1.1, which has closeIdleConnections().
      const server = serve({ fetch, port, hostname, createServer }, (info: AddressInfo) => {
        server.off('error', reject)
        resolve({
          port: info.port,
          close: () =>
            new Promise<void>((closed) => {
              // close() waits for in-flight requests, but a keep-alive socket that goes idle after its last
              // response would hold it open until the client hangs up: sweep those until done.
              const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS)
              server.close(() => {
                clearInterval(sweep)
                closed()
              })
              server.closeIdleConnections()
            }),
        })
      }) as Server
      server.once('error', reject)
    }),
}
