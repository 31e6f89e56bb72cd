import { setMaxListeners } from 'node:events'
import { Agent as HttpAgent, request as httpRequest } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import type { EventTransport } from '../relay/client.ts'

/**
 * Idle keep-alive connections are closed after this long, before the common server-side idle timeouts (Node's
 * own is 5 s): a request written to a connection the server is closing may be lost, and a POST cannot be retried.
 */
const IDLE_CONNECTION_MS = 4000

/**
 * Forwards events with node:http(s) and keep-alive agents. Node's `fetch` (undici) cost about 540 µs of CPU per
 * event against about 130 µs for this, 16 at a time (bench/RESULTS.md); Deno and Bun keep their native `fetch`.
 * @example const { status } = await createNodeEventTransport()({ url, headers, body, signal })
 */
export function createNodeEventTransport(): EventTransport {
  const agents = {
    http: new HttpAgent({ keepAlive: true, timeout: IDLE_CONNECTION_MS }),
    https: new HttpsAgent({ keepAlive: true, timeout: IDLE_CONNECTION_MS }),
  }
  return ({ url, headers, body, signal }) =>
    new Promise((resolve, reject) => {
      // One listener per send in flight on a signal shared by many: more than Node's warning threshold of 10.
      setMaxListeners(0, signal)
      const target = new URL(url)
      const secure = target.protocol === 'https:'
      const request = (secure ? httpsRequest : httpRequest)(
        target,
        {
          method: 'POST',
          agent: secure ? agents.https : agents.http,
          headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        },
        (response) => {
          response.once('error', reject)
          response.once('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              dropped: response.headers['x-plausible-dropped'] !== undefined,
            }),
          )
          response.resume()
        },
      )
      // Our own listener, removed when the request ends: the signal is shared by many sends.
      const abort = () => request.destroy(new Error('The send timed out', { cause: signal.reason }))
      if (signal.aborted) abort()
      else signal.addEventListener('abort', abort, { once: true })
      request.once('close', () => signal.removeEventListener('abort', abort))
      request.once('error', reject)
      request.end(body)
    })
}
