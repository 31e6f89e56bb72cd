// The outbound HTTP port (src/runtime/http-client.ts) as its adapters keep it: undici on Node, and `fetch`, which
// Deno, Bun and edge runtimes send with (here Node's own; the relay suites run it on Deno and Bun).
import assert from 'node:assert/strict'
import { readdirSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, describe, it } from 'node:test'
import { undiciHttpClients } from '../../src/adapter/node/undici-http-client.ts'
import { openFetchHttpClient } from '../../src/adapter/shared/fetch-http-client.ts'
import { DIRECT } from '../../src/config/proxy.ts'
import {
  type HttpClient,
  MAX_RESPONSE_BYTES,
  type OpenHttpClient,
  OutboundHttpError,
  type OutboundRequest,
} from '../../src/runtime/http-client.ts'
import { freePort } from '../helpers/free-port.ts'
import { ACCEPTED, startScriptedServer } from '../helpers/scripted-server.ts'
import { silentUpstreamUnavailable, startSilentUpstream } from '../helpers/silent-upstream.ts'

const post = (url: string, extra: Partial<OutboundRequest> = {}): OutboundRequest => ({
  method: 'POST',
  url: `${url}/api/event`,
  headers: { 'content-type': 'application/json', 'user-agent': 'Mozilla/5.0 (test)' },
  body: '{"name":"pageview"}',
  signal: AbortSignal.timeout(2000),
  ...extra,
})

const failureOf = (sending: Promise<unknown>): Promise<string> =>
  sending.then(
    () => 'answered',
    (error: unknown) =>
      error instanceof OutboundHttpError ? error.failure : `not an OutboundHttpError: ${error}`,
  )

const stops: (() => Promise<void> | void)[] = []
after(async () => {
  for (const stop of stops) await stop()
})

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1')
  await new Promise((resolve) => server.once('listening', resolve))
  stops.push(() => {
    server.closeAllConnections()
    server.close()
  })
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

const CLIENTS: readonly (readonly [string, OpenHttpClient])[] = [
  ['undici (Node)', undiciHttpClients(DIRECT)],
  ['fetch (Deno, Bun, edge)', openFetchHttpClient],
]

for (const [name, open] of CLIENTS) {
  const client = (connectTimeoutMs = 2000): HttpClient => {
    const opened = open({ connectTimeoutMs })
    stops.push(() => opened.close())
    return opened
  }

  describe(`outbound HTTP with ${name}`, () => {
    it('sends the method, headers and body it is given, and hands back the answer’s status and headers', async () => {
      let received: { method: string | undefined; headers: Record<string, unknown>; body: string } | undefined
      const url = await listen(
        createServer((request, response) => {
          let body = ''
          request.on('data', (chunk) => {
            body += chunk
          })
          request.on('end', () => {
            received = { method: request.method, headers: request.headers, body }
            response.writeHead(202, { 'x-plausible-dropped': '1', 'transfer-encoding': 'chunked' })
            response.write('o')
            response.end('k')
          })
        }),
      )
      const answer = await client().send(post(url))
      assert.equal(answer.status, 202)
      assert.equal(answer.headers.get('x-plausible-dropped'), '1')
      assert.ok(!('body' in answer), 'the body is read only to free the connection')
      assert.equal(received?.method, 'POST')
      assert.equal(received?.body, '{"name":"pageview"}')
      assert.equal(received?.headers['user-agent'], 'Mozilla/5.0 (test)')
      assert.equal(received?.headers['content-type'], 'application/json')
    })

    it('keeps connections open: 200 requests 16 at a time travel over few connections', async () => {
      const server = await startScriptedServer((socket) => socket.write(ACCEPTED))
      stops.push(() => server.stop())
      const http = client()
      let next = 0
      const statuses: number[] = []
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          while (next++ < 200) statuses.push((await http.send(post(server.url))).status)
        }),
      )
      assert.deepEqual(new Set(statuses), new Set([202]))
      assert.equal(statuses.length, 200)
      // A connection is free again only once its answer is read whole, so a few more than 16 may open.
      assert.ok(server.connections() <= 32, `${server.connections()} connections`)
    })

    it('takes the final answer for the answer, not an interim 1xx before it (RFC 9110 §15.2)', async () => {
      // A 103 Early Hints from a CDN in front of Plausible, then Plausible's own 202.
      const server = await startScriptedServer((socket) =>
        socket.write(`HTTP/1.1 103 Early Hints\r\nlink: </app.css>; rel=preload\r\n\r\n${ACCEPTED}`),
      )
      stops.push(() => server.stop())
      const http = client()
      for (let index = 0; index < 3; index++) assert.equal((await http.send(post(server.url))).status, 202)
    })

    it('does not follow a redirect', async () => {
      const url = await listen(
        createServer((request, response) => {
          request.resume()
          response.writeHead(307, { location: 'http://127.0.0.1:9/elsewhere', 'content-length': '0' }).end()
        }),
      )
      assert.equal((await client().send(post(url))).status, 307)
    })

    it('says a refused connection was refused: nothing was sent, so sending again is safe', async () => {
      assert.equal(await failureOf(client().send(post(`http://127.0.0.1:${await freePort()}`))), 'refused')
    })

    it('ends a request whose answer does not come when its signal fires, and closes that connection', async () => {
      const closed: number[] = []
      const server = await startScriptedServer((socket, request) => {
        socket.once('close', () => closed.push(request.number))
        if (request.number > 1) socket.write(ACCEPTED)
      })
      stops.push(() => server.stop())
      const http = client()
      const started = performance.now()
      assert.equal(
        await failureOf(http.send(post(server.url, { signal: AbortSignal.timeout(200) }))),
        'aborted',
      )
      const waited = performance.now() - started
      assert.ok(waited >= 195 && waited < 1000, `gave up after ${Math.round(waited)} ms`)
      assert.equal((await http.send(post(server.url))).status, 202)
      assert.deepEqual(closed, [1], 'the connection of the abandoned request was closed')
    })

    it('fails an answer that is not HTTP, or that ends within its head, and recovers on a new connection', async () => {
      const server = await startScriptedServer((socket, request) => {
        if (request.number === 1) socket.write('SSH-2.0-OpenSSH_9.2\r\n\r\n')
        else if (request.number === 2) socket.resetAndDestroy()
        else if (request.number === 3) socket.end('HTTP/1.1 202 Accepted\r\ncontent-le')
        else socket.write(ACCEPTED)
      })
      stops.push(() => server.stop())
      const http = client()
      for (const expected of ['failed', 'failed', 'failed', 'answered'])
        assert.equal(await failureOf(http.send(post(server.url))), expected)
    })

    it('hands back an answer whose body ends early by its status: the server took the request', async () => {
      const server = await startScriptedServer((socket, request) => {
        if (request.number === 1) socket.end('HTTP/1.1 202 Accepted\r\ncontent-length: 10\r\n\r\nok')
        else socket.write(ACCEPTED)
      })
      stops.push(() => server.stop())
      const http = client()
      assert.equal((await http.send(post(server.url))).status, 202)
      assert.equal((await http.send(post(server.url))).status, 202)
      assert.equal(server.connections(), 2, 'the cut connection is not used again')
    })

    for (const framing of ['content-length', 'chunked'] as const)
      it(`hands back an answer with a body over ${MAX_RESPONSE_BYTES} bytes (${framing}) by its status, without keeping the body, and closes its connection`, async () => {
        const huge = Buffer.alloc(4 * MAX_RESPONSE_BYTES, 'x')
        let closed = false
        let written = 0
        const url = await listen(
          createServer((request, response) => {
            request.resume()
            response.on('close', () => {
              closed = true
            })
            const length = framing === 'content-length' ? { 'content-length': String(huge.length) } : {}
            response.writeHead(200, length)
            // In pieces, so what the client reads before it lets go can be told from the whole.
            const piece = 64 * 1024
            const more = () => {
              while (written < huge.length && !closed) {
                const ok = response.write(huge.subarray(written, written + piece))
                written += piece
                if (!ok) return void response.once('drain', more)
              }
              if (!closed) response.end()
            }
            more()
          }),
        )
        const answer = await client().send(post(url))
        assert.equal(answer.status, 200)
        for (let wait = 0; wait < 20 && !closed; wait++)
          await new Promise((resolve) => setTimeout(resolve, 50))
        assert.ok(closed, 'the connection was closed')
        assert.ok(
          written < huge.length,
          `${written} of ${huge.length} bytes written before the client let go`,
        )
      })

    it('sends nothing when a header would break the request’s lines', async () => {
      const server = await startScriptedServer((socket) => socket.write(ACCEPTED))
      stops.push(() => server.stop())
      const forged = post(server.url, { headers: { 'user-agent': 'Mozilla\r\nx-plausible-ip: 1.2.3.4' } })
      assert.equal(await failureOf(client().send(forged)), 'failed')
      assert.equal(server.requests(), 0)
    })
  })
}

describe('outbound HTTP with undici (Node), where the runtimes’ fetch differ', () => {
  const open = undiciHttpClients(DIRECT)

  it('sends only what HTTP needs besides the given headers', async () => {
    let names: string[] = []
    const url = await listen(
      createServer((request, response) => {
        names = Object.keys(request.headers).sort()
        request.resume()
        response.end('ok')
      }),
    )
    const http = open({ connectTimeoutMs: 2000 })
    stops.push(() => http.close())
    await http.send(post(url))
    assert.deepEqual(names, ['connection', 'content-length', 'content-type', 'host', 'user-agent'])
  })

  it('tries again to create its client on the next send when creating it failed, rather than failing every send', async () => {
    // undici's ProxyAgent throws on a proxy password that does not decode; the configuration refuses such a URL at
    // start, and whatever else makes a creation fail is no reason to keep failing without trying again.
    const http = undiciHttpClients({ httpProxy: 'http://user:100%sure@127.0.0.1:3128', noProxy: [] })({
      connectTimeoutMs: 2000,
    })
    stops.push(() => http.close())
    const attempt = () =>
      http.send(post('http://127.0.0.1:9')).then(
        () => undefined,
        (error: unknown) => error,
      )
    const [first, second] = [await attempt(), await attempt()]
    assert.ok(first instanceof URIError, String(first))
    assert.ok(second instanceof URIError, String(second))
    assert.notEqual(first, second, 'the second send made its own attempt')
  })

  it('never reuses a connection past the server’s Keep-Alive hint, as a server closing it then would lose the request', async () => {
    // This upstream announces a 1 s idle timeout and, as if it had just closed it, drops a request that comes on a
    // connection idle for longer (Bun's fetch would reuse it; Deno's would repeat the request on a new one).
    const server = await startScriptedServer((socket, request) => {
      if (request.idleMs > 1000) socket.destroy()
      else socket.write(ACCEPTED.replace('\r\n\r\n', '\r\nkeep-alive: timeout=1\r\n\r\n'))
    })
    stops.push(() => server.stop())
    const http = open({ connectTimeoutMs: 2000 })
    stops.push(() => http.close())
    for (let index = 0; index < 3; index++) {
      assert.equal((await http.send(post(server.url))).status, 202)
      await new Promise((resolve) => setTimeout(resolve, 1500))
    }
    assert.equal(server.connections(), 3)
  })

  it('ends a request at once when its signal fires while its connection is still being made, and says nothing was sent', {
    skip: silentUpstreamUnavailable(),
  }, async () => {
    const silent = await startSilentUpstream()
    stops.push(() => silent.stop())
    const http = open({ connectTimeoutMs: 5000 })
    stops.push(() => http.close())
    const started = performance.now()
    const failure = await failureOf(http.send(post(silent.url, { signal: AbortSignal.timeout(200) })))
    const waited = performance.now() - started
    assert.equal(failure, 'connect-timeout')
    assert.ok(waited < 600, `gave up after ${Math.round(waited)} ms`)
  })

  it('closes a connection attempt nobody answers when its connect timeout ends, and says nothing was sent', {
    skip: silentUpstreamUnavailable(),
  }, async () => {
    const silent = await startSilentUpstream()
    stops.push(() => silent.stop())
    const http = open({ connectTimeoutMs: 200 })
    stops.push(() => http.close())
    const openFiles = () => readdirSync('/proc/self/fd').length
    const baseline = openFiles()
    const started = performance.now()
    const failures = await Promise.all(
      Array.from({ length: 16 }, () =>
        failureOf(http.send(post(silent.url, { signal: AbortSignal.timeout(5000) }))),
      ),
    )
    const waited = performance.now() - started
    assert.deepEqual(new Set(failures), new Set(['connect-timeout']))
    assert.ok(waited < 600, `gave up after ${Math.round(waited)} ms`)
    assert.ok(openFiles() <= baseline + 2, `${openFiles()} open files, from ${baseline}`)
  })
})
