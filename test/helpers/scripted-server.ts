// An upstream that answers each HTTP/1.1 request with whatever a test writes to the socket: garbled answers,
// resets, announcements it does not keep. Requests are read as a head plus a body of its Content-Length.
import { once } from 'node:events'
import { type AddressInfo, createServer, type Socket } from 'node:net'

export interface ScriptedServer {
  readonly url: string
  /** Connections accepted so far. */
  readonly connections: () => number
  /** Requests received so far. */
  readonly requests: () => number
  stop(): Promise<void>
}

/** A request as it arrived on its connection: its number overall, and how long the connection had been idle. */
export interface ScriptedRequest {
  readonly number: number
  readonly head: string
  /** Milliseconds since the answer to the previous request on this connection, 0 for the first. */
  readonly idleMs: number
}

/** `answer` writes the reply for each request; it is handed the socket to write to, end or destroy. */
export async function startScriptedServer(
  answer: (socket: Socket, request: ScriptedRequest) => void,
): Promise<ScriptedServer> {
  const sockets = new Set<Socket>()
  let connections = 0
  let requests = 0
  const server = createServer((socket) => {
    connections++
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => {})
    let buffered = ''
    let lastAnswer: number | undefined
    socket.on('data', (chunk) => {
      buffered += chunk.toString('latin1')
      for (;;) {
        const headEnd = buffered.indexOf('\r\n\r\n')
        if (headEnd === -1) return
        const head = buffered.slice(0, headEnd)
        const length = Number(/^content-length: *(\d+)/im.exec(head)?.[1] ?? 0)
        if (buffered.length < headEnd + 4 + length) return
        buffered = buffered.slice(headEnd + 4 + length)
        const idleMs = lastAnswer === undefined ? 0 : performance.now() - lastAnswer
        answer(socket, { number: ++requests, head, idleMs })
        lastAnswer = performance.now()
      }
    })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => connections,
    requests: () => requests,
    async stop() {
      for (const socket of sockets) socket.destroy()
      server.close()
      await once(server, 'close')
    },
  }
}

/** Plausible's answer to an accepted event, as raw HTTP/1.1. */
export const ACCEPTED =
  'HTTP/1.1 202 Accepted\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: 2\r\n\r\nok'
