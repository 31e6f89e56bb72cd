// The one thing the HTTP/1.1 event transport needs from a runtime: a TCP (or TLS) byte stream. On Node, Deno and
// Bun it comes from node:net and node:tls (src/adapter/node-socket.ts); the protocol on top is the same everywhere.

export interface SocketAddress {
  /** A host name or an IP address (IPv6 without brackets). */
  readonly hostname: string
  readonly port: number
  /** TLS, checked against the runtime's trusted authorities and the host name. */
  readonly tls: boolean
}

export interface SocketListener {
  /** Bytes as they arrive; the array may be reused after the call returns. */
  data(chunk: Uint8Array): void
  /** The connection is gone: closed by the peer (no error) or broken. Called once, also after `close()`. */
  closed(error?: unknown): void
}

export interface Socket {
  /** Queues bytes for sending, in order; a failure closes the socket (`closed(error)`). */
  write(bytes: Uint8Array): void
  /**
   * Whether the connection is waiting for a next request: a waiting connection must not keep the process alive,
   * one carrying a request must (its answer decides the event's fate).
   */
  idle(waiting: boolean): void
  close(): void
}

/** Opens a connection; rejects when it cannot be made (the error says why: refused, unknown host, TLS...). */
export type ConnectSocket = (address: SocketAddress, listener: SocketListener) => Promise<Socket>
