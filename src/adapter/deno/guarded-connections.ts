import type { FetchHandler } from '../../runtime/http-server.ts'
import { type DenoConn, type DenoHandlerInfo, type DenoListener, deno } from './api.ts'

// Node's http.Server defaults, which the Node adapter serves with: the whole head of a request within 60 s of the
// connection opening (or of its first byte after an answer), and at most 5 s of silence after an answer.
const HEADERS_TIMEOUT_MS = 60_000
const KEEP_ALIVE_TIMEOUT_MS = 5_000

const CHUNK_BYTES = 64 * 1024

/** The front's side of the server: the handler to serve with, and its part in shutting down. */
export interface GuardedConnections {
  /** The handler Deno.serve calls: the module's, given the client's address, with the connection's deadlines kept. */
  readonly handler: (request: Request, info: DenoHandlerInfo) => Promise<Response>
  /** Starts accepting, each connection relayed to the inner server at `innerPort` on loopback. */
  accept(innerPort: number): void
  /** Stops accepting new connections. */
  stopAccepting(): Promise<void>
  /**
   * Once the inner server has shut down: closes the connections waiting for a request head, and resolves when the
   * others have ended, each as soon as the inner server's end has passed the last of its answer to the client.
   */
  finish(): Promise<void>
}

/** One client connection and its connection to the inner server. */
interface Guarded {
  readonly client: DenoConn
  readonly inner: DenoConn
  /** Requests of this connection the handler has and has not answered completely yet. */
  inFlight: number
  /** Set by an answer with `Connection: close`: once it is sent, the client's further bytes are not forwarded. */
  closeAfterAnswer: boolean
  /** The inner server was told the client sends no more. */
  innerEnded: boolean
  /** The deadline now running: for a whole head, or for the silence after an answer. */
  timer?: ReturnType<typeof setTimeout>
  waiting: 'head' | 'keep-alive' | 'answer'
  closed: boolean
}

/**
 * Deno.serve has no timeout of any kind (its hyper server runs without a timer: denoland/deno ext/http/http_next.rs,
 * `serve_http11_unconditional`), so a connection that sends nothing, half a head, or a body that never ends holds
 * its socket forever. This front accepts the connections itself and passes their bytes unchanged to Deno.serve on a
 * loopback port, keeping time as Node's server does: it closes a connection whose head is not whole within
 * `HEADERS_TIMEOUT_MS`, one silent for `KEEP_ALIVE_TIMEOUT_MS` after an answer, and one whose answer said
 * `Connection: close` once it is sent (hyper would read the rest of an announced body first). The handler sees the
 * client's own address, found by the port its inner connection comes from.
 */
export function guardConnections(listener: DenoListener, fetch: FetchHandler): GuardedConnections {
  let innerPort = 0
  const connections = new Map<number, Guarded>()
  const relays = new Set<Promise<void>>()

  const close = (connection: Guarded): void => {
    if (connection.closed) return
    connection.closed = true
    clearTimeout(connection.timer)
    for (const conn of [connection.client, connection.inner]) {
      try {
        conn.close()
      } catch {
        // Already closed by the other direction.
      }
    }
  }
  const wait = (connection: Guarded, waiting: Guarded['waiting'], ms?: number): void => {
    clearTimeout(connection.timer)
    connection.waiting = waiting
    if (ms !== undefined && !connection.closed) connection.timer = setTimeout(() => close(connection), ms)
  }

  // The inner server is told once that the client sends no more: at the client's end, or after a closing answer.
  const endInner = (connection: Guarded): void => {
    if (connection.innerEnded) return
    connection.innerEnded = true
    connection.inner.closeWrite().catch(() => close(connection))
  }
  const fromClient = async (connection: Guarded): Promise<void> => {
    const buffer = new Uint8Array(CHUNK_BYTES)
    for (;;) {
      const read = await connection.client.read(buffer)
      if (read === null || connection.innerEnded) return endInner(connection)
      // The first byte after an answer starts the next request: its head then has the headers timeout.
      if (connection.waiting === 'keep-alive') wait(connection, 'head', HEADERS_TIMEOUT_MS)
      await writeAll(connection.inner, buffer.subarray(0, read))
    }
  }
  const fromInner = async (connection: Guarded): Promise<void> => {
    const buffer = new Uint8Array(CHUNK_BYTES)
    for (;;) {
      const read = await connection.inner.read(buffer)
      if (read === null) break
      await writeAll(connection.client, buffer.subarray(0, read))
    }
  }

  const relay = async (client: DenoConn): Promise<void> => {
    let inner: DenoConn
    try {
      inner = await deno().connect({ hostname: '127.0.0.1', port: innerPort })
    } catch {
      client.close()
      return
    }
    for (const conn of [client, inner]) conn.setNoDelay(true)
    const connection: Guarded = {
      client,
      inner,
      inFlight: 0,
      closeAfterAnswer: false,
      innerEnded: false,
      waiting: 'head',
      closed: false,
    }
    connections.set(inner.localAddr.port, connection)
    wait(connection, 'head', HEADERS_TIMEOUT_MS)
    // The inner server's end, or either side failing, ends the connection; a client that has sent all it will
    // still gets its answers, whose bytes are all through once the inner side ends.
    const clientDone = fromClient(connection).then(() => new Promise<void>(() => {}))
    await Promise.race([clientDone, fromInner(connection)]).catch(() => {})
    connections.delete(inner.localAddr.port)
    close(connection)
  }

  let accepting: Promise<void> | undefined
  const acceptAll = async (): Promise<void> => {
    for (;;) {
      let client: DenoConn
      try {
        client = await listener.accept()
      } catch {
        return
      }
      const relaying = relay(client).finally(() => relays.delete(relaying))
      relays.add(relaying)
    }
  }

  const handler = async (request: Request, info: DenoHandlerInfo): Promise<Response> => {
    const connection = connections.get(info.remoteAddr.port)
    // Only the front connects to the inner port; anything else reaching it is told so and left.
    if (connection === undefined) return new Response(null, { status: 421, headers: { connection: 'close' } })
    connection.inFlight += 1
    wait(connection, 'answer')
    info.completed
      .catch(() => {})
      .finally(() => {
        connection.inFlight -= 1
        if (connection.closeAfterAnswer) endInner(connection)
        else if (connection.inFlight === 0) wait(connection, 'keep-alive', KEEP_ALIVE_TIMEOUT_MS)
      })
    const response = await fetch(request, {
      remoteAddr: connection.client.remoteAddr,
      completed: info.completed,
    })
    if (response.headers.get('connection')?.toLowerCase() === 'close') connection.closeAfterAnswer = true
    return response
  }

  return {
    handler,
    accept: (port) => {
      innerPort = port
      accepting = acceptAll()
    },
    stopAccepting: async (): Promise<void> => {
      listener.close()
      await accepting
    },
    finish: async (): Promise<void> => {
      for (const connection of connections.values()) if (connection.waiting === 'head') close(connection)
      await Promise.all(relays)
    },
  }
}

async function writeAll(conn: DenoConn, bytes: Uint8Array): Promise<void> {
  let written = 0
  while (written < bytes.length) written += await conn.write(bytes.subarray(written))
}
