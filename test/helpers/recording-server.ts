// A loopback HTTP server that answers every request with one status and keeps the headers it was sent: what a
// receiver or a forward proxy learns of the credentials a client sends (Authorization, Proxy-Authorization).
import { once } from 'node:events'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface RecordingServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string
  /** The headers of every request, in order of arrival. */
  readonly requests: readonly IncomingHttpHeaders[]
  stop(): Promise<void>
}

/** Starts the server; `status` answers every request (a forward proxy forwarding `http://` requests answers it too). */
export async function startRecordingServer(status = 204): Promise<RecordingServer> {
  const requests: IncomingHttpHeaders[] = []
  const server = createServer((request, response) => {
    requests.push(request.headers)
    request.resume()
    response.writeHead(status).end()
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    stop: async () => {
      server.closeAllConnections()
      server.close()
      await once(server, 'close')
    },
  }
}

/** The `user:password` of a `Basic` credentials header, read as UTF-8 (RFC 7617 §2.1). */
export const basicCredentials = (header: string | undefined): string =>
  Buffer.from((header ?? '').replace(/^Basic /, ''), 'base64').toString('utf8')
