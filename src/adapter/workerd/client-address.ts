import type { ClientAddress } from '../../runtime/client-address.ts'

/** Cloudflare's edge connects to the worker itself; the client address comes in a header it sets. */
export const cloudflareClientAddress: ClientAddress = (c) => c.req.header('cf-connecting-ip')
