import type { HttpClient, OpenHttpClient, OutboundResponse } from '../../runtime/http-client.ts'
import { outboundFailure } from './outbound-failure.ts'
import { readLimited } from './read-limited.ts'

/**
 * The runtime's own `fetch`: on Deno and Bun it keeps connections open and reads HTTP_PROXY, HTTPS_PROXY and
 * NO_PROXY itself; on edge runtimes it is the only client there is. Its connections are the runtime's, shared by
 * every client, so closing one has nothing to release.
 * @example const http = openFetchHttpClient({ connectTimeoutMs: 5000 })
 */
export const openFetchHttpClient: OpenHttpClient = (): HttpClient => ({
  async send({ method, url, headers, body, signal }): Promise<OutboundResponse> {
    try {
      const response = await fetch(url, { method, headers, body: body ?? null, signal, redirect: 'manual' })
      const declared = response.headers.get('content-length')
      return {
        status: response.status,
        headers: response.headers,
        body: await readLimited(declared, response.body, response),
      }
    } catch (error) {
      throw outboundFailure(error, signal)
    }
  },
  close: async () => {},
})
