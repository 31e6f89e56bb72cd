import type { EventTransport, UpstreamAnswer } from '../client.ts'
import { encodePost } from './request.ts'
import { type ResponseHead, ResponseReader } from './response-reader.ts'
import type { ConnectSocket, Socket, SocketAddress } from './socket.ts'

/**
 * Idle connections are not reused after this long, before common server-side idle timeouts (Node's own is 5 s): a
 * request written to a connection the server is closing may be lost, and a POST cannot safely be sent again. They
 * are closed when next looked at rather than by a timer per connection: a socket timer cost Deno 8 µs per event.
 */
const IDLE_CONNECTION_MS = 4000

export interface Http1TransportOptions {
  /** How long a connection may wait for a next request and still be used for it. */
  readonly idleConnectionMs?: number
}

/** One keep-alive connection and the request it carries, if any. */
interface Connection {
  readonly socket: Socket
  idleSince: number
  closed: boolean
  /** Set while a request is in flight: where its response bytes go. */
  exchange: Exchange | undefined
}

interface Exchange {
  readonly reader: ResponseReader
  readonly resolve: (head: ResponseHead) => void
  readonly reject: (error: unknown) => void
  /** Stops watching for the timeout. */
  readonly settle: () => void
}

/** The connection ended before the whole response came: the request may or may not have been processed. */
export class ConnectionLostError extends Error {
  override readonly name = 'ConnectionLostError'
}

/**
 * Sends events as HTTP/1.1 over keep-alive connections the transport owns, one request per connection at a time.
 * The runtimes' own HTTP clients cost 1.6 to 4 times the CPU per event (bench/RESULTS.md); Plausible's Events API
 * needs only this much of HTTP.
 * @example const transport = createHttp1Transport(connectNodeSocket)
 */
export function createHttp1Transport(
  connect: ConnectSocket,
  { idleConnectionMs = IDLE_CONNECTION_MS }: Http1TransportOptions = {},
): EventTransport {
  const idle = new Map<string, Connection[]>()
  const targets = new Map<string, { readonly url: URL; readonly address: SocketAddress }>()

  const target = (url: string) => {
    let known = targets.get(url)
    if (known === undefined) {
      const parsed = new URL(url)
      const tls = parsed.protocol === 'https:'
      known = {
        url: parsed,
        address: {
          hostname: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
          port: Number(parsed.port || (tls ? 443 : 80)),
          tls,
        },
      }
      targets.set(url, known)
    }
    return known
  }

  const open = async (address: SocketAddress): Promise<Connection> => {
    let connection: Connection | undefined
    const socket = await connect(address, {
      data(chunk) {
        if (connection !== undefined) received(connection, chunk)
      },
      closed(error) {
        if (connection !== undefined) ended(connection, error)
      },
    })
    connection = { socket, idleSince: 0, closed: false, exchange: undefined }
    return connection
  }

  const received = (connection: Connection, chunk: Uint8Array) => {
    const exchange = connection.exchange
    // Nobody asked: a server that talks out of turn cannot be trusted with the next request.
    if (exchange === undefined) return discard(connection)
    try {
      const head = exchange.reader.push(chunk)
      if (head !== undefined) finish(connection, head)
    } catch (error) {
      fail(connection, error)
    }
  }

  const ended = (connection: Connection, error: unknown) => {
    connection.closed = true
    if (connection.exchange === undefined) return
    const head = connection.exchange.reader.end()
    if (head !== undefined) finish(connection, head)
    else
      fail(connection, error ?? new ConnectionLostError('Plausible closed the connection before answering'))
  }

  /** Ends the request in flight on the connection, if any: no more bytes go to it and its timeout is off. */
  const endExchange = (connection: Connection): Exchange | undefined => {
    const exchange = connection.exchange
    connection.exchange = undefined
    exchange?.settle()
    return exchange
  }

  const finish = (connection: Connection, head: ResponseHead) => endExchange(connection)?.resolve(head)

  const fail = (connection: Connection, error: unknown) => {
    const exchange = endExchange(connection)
    discard(connection)
    exchange?.reject(error)
  }

  /** Closes at once and for good: the socket reports its end later, and nothing may reuse it meanwhile. */
  const discard = (connection: Connection) => {
    connection.closed = true
    connection.socket.close()
  }

  const checkout = (key: string): Connection | undefined => {
    const pool = idle.get(key)
    const now = performance.now()
    for (let connection = pool?.pop(); connection !== undefined; connection = pool?.pop()) {
      if (!connection.closed && now - connection.idleSince < idleConnectionMs) {
        connection.socket.idle(false)
        return connection
      }
      discard(connection)
    }
    return undefined
  }

  const release = (key: string, connection: Connection, head: ResponseHead) => {
    if (!head.keepAlive || connection.closed) return discard(connection)
    const now = performance.now()
    connection.idleSince = now
    connection.socket.idle(true)
    let pool = idle.get(key)
    if (pool === undefined) {
      pool = []
      idle.set(key, pool)
    }
    // The longest-waiting connections sit first: while events flow, none outlives its idle time by much.
    for (
      let oldest = pool[0];
      oldest !== undefined && (oldest.closed || now - oldest.idleSince >= idleConnectionMs);
      oldest = pool[0]
    )
      discard(pool.shift() as Connection)
    pool.push(connection)
  }

  return async ({ url, headers, body, signal }): Promise<UpstreamAnswer> => {
    signal.throwIfAborted()
    const { url: parsed, address } = target(url)
    const request = encodePost(parsed, headers, body)
    const connection = checkout(url) ?? (await abortable(open(address), signal))
    const head = await new Promise<ResponseHead>((resolve, reject) => {
      connection.exchange = {
        reader: new ResponseReader(),
        resolve,
        reject,
        settle: whenAborted(signal, () => fail(connection, timedOut(signal))),
      }
      if (!signal.aborted) connection.socket.write(request)
    })
    release(url, connection, head)
    return { status: head.status, dropped: head.dropped }
  }
}

const timedOut = (signal: AbortSignal) => new Error('The send timed out', { cause: signal.reason })

/** Connecting cannot be cancelled everywhere: give up waiting, and close the socket if it comes after all. */
function abortable(opening: Promise<Connection>, signal: AbortSignal): Promise<Connection> {
  return new Promise((resolve, reject) => {
    const settle = whenAborted(signal, () => reject(timedOut(signal)))
    opening.then(
      (connection) => {
        settle()
        if (signal.aborted) connection.socket.close()
        else resolve(connection)
      },
      (error) => {
        settle()
        reject(error)
      },
    )
  })
}

/**
 * Runs `cancel` if the signal aborts before the returned function is called. Sends share their signals (one per
 * tenth of the timeout): a single listener per signal serves them all, where one each would cost an event listener
 * per send and, on Node, a warning beyond 10 of them.
 */
function whenAborted(signal: AbortSignal, cancel: () => void): () => void {
  if (signal.aborted) {
    queueMicrotask(cancel)
    return () => {}
  }
  let pending = cancellations.get(signal)
  if (pending === undefined) {
    const waiting = new Set<() => void>()
    signal.addEventListener(
      'abort',
      () => {
        for (const each of waiting) each()
      },
      { once: true },
    )
    cancellations.set(signal, waiting)
    pending = waiting
  }
  const registered = pending
  registered.add(cancel)
  return () => registered.delete(cancel)
}

const cancellations = new WeakMap<AbortSignal, Set<() => void>>()
