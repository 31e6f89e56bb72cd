import { connect as connectTcp, isIP, type Socket as NodeSocket } from 'node:net'
import { connect as connectTls } from 'node:tls'
import type { ConnectSocket } from '../relay/http1/socket.ts'

/**
 * A connection through node:net, or node:tls (with the host name checked, trusting Node's authorities plus
 * NODE_EXTRA_CA_CERTS).
 */
export const connectNodeSocket: ConnectSocket = ({ hostname, port, tls }, listener) =>
  new Promise((resolve, reject) => {
    const socket: NodeSocket = tls
      ? connectTls({
          host: hostname,
          port,
          // SNI names a host; an IP address is checked against the certificate without it (RFC 6066).
          ...(isIP(hostname) === 0 && { servername: hostname }),
        })
      : connectTcp({ host: hostname, port })
    socket.once('error', reject)
    socket.once(tls ? 'secureConnect' : 'connect', () => {
      socket.off('error', reject)
      // Each request goes out in one write: waiting to coalesce it with a next one only adds latency.
      socket.setNoDelay(true)
      let failure: unknown
      socket.on('error', (error) => {
        failure = error
      })
      socket.on('data', (chunk: Buffer) => listener.data(chunk))
      socket.once('close', () => listener.closed(failure))
      resolve({
        write: (bytes) => void socket.write(bytes),
        idle: (waiting) => void (waiting ? socket.unref() : socket.ref()),
        close: () => void socket.destroy(),
      })
    })
  })
