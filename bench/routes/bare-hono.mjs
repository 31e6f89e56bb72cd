// The reference of the route benchmark: a bare Hono app with one route answering fixed bytes, served the plain way
// on each runtime (Node: @hono/node-server's serve; Deno: Deno.serve(app.fetch); Bun: Bun.serve). Plain
// JavaScript, so Node runs it without a TypeScript loader, as it runs the module's compiled dist/.
// Environment: PORT, ROUTE (`/version`), BODY (the exact bytes), HEADERS (a JSON object: content-type and the
// like), READ_HEADERS (request headers the route reads before it answers, comma-separated: what a route whose
// contract depends on them costs at least, as the runtime builds the request's headers when one is first read).
// DATABASE_URL (optional): also hold a mysql2 pool and check it with `SELECT 1` once a second, as the module's health
// contract needs (the `db` component through mysql2, checked at most once per 1 s cache period under load): what
// that contract costs in memory at least.
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
if (process.env.DATABASE_URL) {
  // No top-level await, as below; an unreachable database ends the process, so the benchmark never measures less.
  import('mysql2/promise').then(({ createPool }) => {
    const pool = createPool({ uri: process.env.DATABASE_URL, connectionLimit: 4 })
    const check = () =>
      pool.query('SELECT 1').then(
        () => setTimeout(check, 1000),
        (error) => {
          console.error(error)
          process.exit(1)
        },
      )
    check()
  })
}
const listening = () => console.log(JSON.stringify({ msg: 'listening', url: `http://${hostname}:${port}` }))

if (globalThis.Deno) Deno.serve({ port, hostname, onListen: listening }, app.fetch)
else if (globalThis.Bun) {
  Bun.serve({ port, hostname, fetch: app.fetch })
  listening()
} else {
  // No top-level await: the cold start benchmark builds this file for Bun as CommonJS, as the module's Bun bundle.
  import('@hono/node-server').then(({ serve }) => serve({ fetch: app.fetch, port, hostname }, listening))
}
