import type { ClientAddress } from '../../runtime/client-address.ts'

interface ServerEnvironment {
  /** @hono/node-server (also when Deno or Bun run the Node entry). */
  readonly incoming?: { readonly socket?: { readonly remoteAddress?: string } }
  /** Deno.serve's handler info. */
  readonly remoteAddr?: { readonly hostname?: string }
  /** Bun.serve's server. */
  readonly requestIP?: (request: Request) => { readonly address: string } | null
}

/**
 * The socket address on Node, Deno and Bun, read from what each server passes as the handler's second argument
 * (`c.env`): the shapes differ, and hono/bun or hono/deno cannot be imported on the other runtimes.
 */
export const serverClientAddress: ClientAddress = (c) => {
  const env = c.env as ServerEnvironment | undefined
  if (env === undefined || env === null) return undefined
  if (env.incoming?.socket) return env.incoming.socket.remoteAddress
  if (env.remoteAddr) return env.remoteAddr.hostname
  if (typeof env.requestIP === 'function') return env.requestIP(c.req.raw)?.address
  return undefined
}
