// Connections that hold a server's sockets without asking anything: opened and left silent, left with half a
// request head, or kept open after an answer. Every runtime's standalone server, started as the README starts it,
// closes them within its bound: Node's http.Server (headersTimeout 60 s, checked every 30 s; keepAliveTimeout 5 s),
// Bun.serve (idleTimeout 10 s), and Deno's server with DENO_CONNECTION_TIMEOUTS (Deno.serve has no timeout of its
// own), Node's figures.
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { connect, type Socket } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { freePort } from '../helpers/free-port.ts'
import { buildServerBundles } from '../helpers/project.ts'
import { RUNTIMES } from '../helpers/runtimes.ts'
import { type ServerProcess, startServer } from '../helpers/server-process.ts'

/** When each runtime closes a connection, in ms: one that sent no whole head, and one idle after an answer. */
const BOUNDS: Readonly<Record<string, { readonly head: number; readonly keepAlive: number }>> = {
  node: { head: 90_000, keepAlive: 5_000 },
  deno: { head: 60_000, keepAlive: 5_000 },
  bun: { head: 15_000, keepAlive: 15_000 },
}
// Timers fire late on a loaded machine, and the close takes a moment to reach the client.
const MARGIN_MS = 5_000

/** Opens a connection, writes `text`, and resolves with when (ms after opening) the server closed it. */
async function closedAfter(url: string, text: string): Promise<{ socket: Socket; closed: Promise<number> }> {
  const { hostname, port } = new URL(url)
  const socket = connect(Number(port), hostname)
  await once(socket, 'connect')
  const opened = performance.now()
  socket.on('error', () => {})
  socket.resume()
  if (text !== '') socket.write(text)
  const closed = once(socket, 'close').then(() => performance.now() - opened)
  return { socket, closed }
}

describe('connections that ask for nothing', { concurrency: true }, () => {
  const servers: ServerProcess[] = []
  const sockets: Socket[] = []
  before(() => buildServerBundles())
  after(async () => {
    for (const socket of sockets) socket.destroy()
    await Promise.all(servers.map((server) => server.stop()))
  })

  for (const runtime of RUNTIMES) {
    const bound = BOUNDS[runtime.name] ?? assert.fail(`no bound for ${runtime.name}`)

    it(`${runtime.name} closes 20 silent connections and 20 with half a head within ${bound.head / 1000} s`, async () => {
      const server = await startServer(runtime.standalone, {
        PORT: String(await freePort()),
        HOST: '127.0.0.1',
        DENO_CONNECTION_TIMEOUTS: 'true',
      })
      servers.push(server)
      const opened = await Promise.all(
        Array.from({ length: 40 }, (_, index) =>
          closedAfter(server.url, index % 2 === 0 ? '' : 'GET /version HTTP/1.1\r\nHost: x\r\n'),
        ),
      )
      sockets.push(...opened.map(({ socket }) => socket))
      const deadline = new Promise<'held'>((resolve) => setTimeout(resolve, bound.head + MARGIN_MS, 'held'))
      const closedWithin = await Promise.all(opened.map(({ closed }) => Promise.race([closed, deadline])))
      assert.deepEqual(
        closedWithin.filter((after) => after === 'held'),
        [],
        `${closedWithin.filter((after) => after === 'held').length} of 40 still open`,
      )
      // The server still serves afterwards.
      assert.equal((await fetch(`${server.url}/version`)).status, 200)
    })

    it(`${runtime.name} closes a connection idle after its answer within ${bound.keepAlive / 1000} s`, async () => {
      const server = await startServer(runtime.standalone, {
        PORT: String(await freePort()),
        HOST: '127.0.0.1',
        DENO_CONNECTION_TIMEOUTS: 'true',
      })
      servers.push(server)
      const { socket, closed } = await closedAfter(server.url, 'GET /version HTTP/1.1\r\nHost: x\r\n\r\n')
      sockets.push(socket)
      const answered = new Promise<void>((resolve) => socket.once('data', () => resolve()))
      await answered
      const deadline = new Promise<'held'>((resolve) =>
        setTimeout(resolve, bound.keepAlive + MARGIN_MS, 'held'),
      )
      const after = await Promise.race([closed, deadline])
      assert.notEqual(after, 'held', `still open ${bound.keepAlive + MARGIN_MS} ms after its answer`)
    })
  }
})
