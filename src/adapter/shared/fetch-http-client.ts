import type { HttpClient, OpenHttpClient, OutboundResponse } from '../../runtime/http-client.ts'
import { discardBody } from './discard-body.ts'
import { keepAliveHints } from './keep-alive-hints.ts'
import { outboundFailure } from './outbound-failure.ts'

/**
 * The runtime's own `fetch`: on Deno and Bun it keeps connections open and reads HTTP_PROXY, HTTPS_PROXY and
 * NO_PROXY itself; on edge runtimes it is the only client there is. Its connections are the runtime's, shared by
 * every client, so closing one has nothing to release. A request that would find only connections idle past the
 * server's Keep-Alive hint goes with `keepalive: false`, which makes Bun open a new one (Deno and edge runtimes
 * ignore it).
 * @example const http = openFetchHttpClient({ connectTimeoutMs: 5000 })
 */
export const openFetchHttpClient: OpenHttpClient = (): HttpClient => {
  const hints = keepAliveHints()
  return {
    async send({ method, url, headers, body, signal }): Promise<OutboundResponse> {
      try {
        const fresh = !hints.reusable(url, performance.now())
        const response = await fetch(url, {
          method,
          headers,
          body: body ?? null,
          signal,
          redirect: 'manual',
          ...(fresh && { keepalive: false }),
        })
        await discardBody(response)
        hints.answered(url, response.headers, performance.now())
        return { status: response.status, headers: response.headers }
      } catch (error) {
        throw outboundFailure(error, signal)
      }
    },
    close: async () => {},
  }
}
