// The reference of the route benchmark: a bare Hono app with one route answering fixed bytes, served the plain way
// on each runtime (Node: @hono/node-server's serve; Deno: Deno.serve(app.fetch); Bun: Bun.serve). Plain
// JavaScript, so Node runs it without a TypeScript loader, as it runs the module's compiled dist/.
// Environment: PORT, ROUTE (`/version`), BODY (the exact bytes), HEADERS (a JSON object: content-type and the
// like), READ_HEADERS (request headers the route reads before it answers, comma-separated: what a route whose
// contract depends on them costs at least, as the runtime builds the request's headers when one is first read).
// Prints the module's own `listening` line once it accepts connections.
import { Hono } from 'hono'

const port = Number(process.env.PORT)
const hostname = '127.0.0.1'
const body = process.env.BODY ?? ''
const headers = JSON.parse(process.env.HEADERS ?? '{}')
const read = (process.env.READ_HEADERS ?? '').split(',').filter(Boolean)
const answer = (c) => c.body(body, 200, headers)
const app = new Hono()
app.get(
  process.env.ROUTE ?? '/',
  read.length === 0
    ? answer
    : (c) => {
        for (const name of read) c.req.header(name)
        return answer(c)
      },
)
const listening = () => console.log(JSON.stringify({ msg: 'listening', url: `http://${hostname}:${port}` }))

if (globalThis.Deno) Deno.serve({ port, hostname, onListen: listening }, app.fetch)
else if (globalThis.Bun) {
  Bun.serve({ port, hostname, fetch: app.fetch })
  listening()
} else {
  // No top-level await: the cold start benchmark builds this file for Bun as CommonJS, as the module's Bun bundle.
  import('@hono/node-server').then(({ serve }) => serve({ fetch: app.fetch, port, hostname }, listening))
}
