import type { HttpClient, OpenHttpClient, OutboundResponse } from '../../runtime/http-client.ts'
import { discardBody } from './discard-body.ts'
import { outboundFailure } from './outbound-failure.ts'

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
      await discardBody(response.headers.get('content-length'), response.body, response)
      return { status: response.status, headers: response.headers }
    } catch (error) {
      throw outboundFailure(error, signal)
    }
  },
  close: async () => {},
})
