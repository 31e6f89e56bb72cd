import type { Context } from 'hono'

/** The remote address of the connection a request came on (not a header a client could write). */
export type ClientAddress = (c: Context) => string | undefined
