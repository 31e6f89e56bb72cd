// The reference of the route benchmark: a bare Hono app with one route answering fixed bytes, served the plain way
// on each runtime (Node: @hono/node-server's serve; Deno: Deno.serve(app.fetch); Bun: Bun.serve). Plain
// JavaScript, so Node runs it without a TypeScript loader, as it runs the module's compiled dist/.
// Environment: PORT, ROUTE (`/version`), BODY (the exact bytes), HEADERS (a JSON object: content-type and the
// like), MIDDLEWARE=1 for one middleware that only awaits next() in front of the route (what any middleware costs in
// Hono: its compose chain instead of the single-handler path). Prints the module's own `listening` line once it
// accepts connections.
import { Hono } from 'hono'

const port = Number(process.env.PORT)
const hostname = '127.0.0.1'
const body = process.env.BODY ?? ''
const headers = JSON.parse(process.env.HEADERS ?? '{}')
const app = new Hono()
if (process.env.MIDDLEWARE === '1')
  app.use(async (_c, next) => {
    await next()
  })
app.get(process.env.ROUTE ?? '/', (c) => c.body(body, 200, headers))
const listening = () => console.log(JSON.stringify({ msg: 'listening', url: `http://${hostname}:${port}` }))

if (globalThis.Deno) Deno.serve({ port, hostname, onListen: listening }, app.fetch)
else if (globalThis.Bun) {
  Bun.serve({ port, hostname, fetch: app.fetch })
  listening()
} else {
  const { serve } = await import('@hono/node-server')
  serve({ fetch: app.fetch, port, hostname }, listening)
}
