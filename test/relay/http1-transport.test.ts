import assert from 'node:assert/strict'
import { once } from 'node:events'
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http'
import { type AddressInfo, createServer as createTcpServer, type Server, type Socket } from 'node:net'
import { after, describe, it } from 'node:test'
import { connectNodeSocket } from '../../src/adapter/node-socket.ts'
import { createPlausibleClient } from '../../src/relay/client.ts'
import { createHttp1Transport } from '../../src/relay/http1/transport.ts'
import type { UpstreamEvent } from '../../src/relay/sanitize.ts'
import { startFakePlausible } from '../helpers/fake-plausible.ts'
import { freePort } from '../helpers/free-port.ts'
import { BROWSER_UA, SITE } from '../helpers/relay-server.ts'

const EVENT: UpstreamEvent = {
  name: 'pageview',
  url: `https://${SITE}/dashboard`,
  domain: SITE,
  referrer: null,
}
const VISITOR = { userAgent: BROWSER_UA, ip: '127.0.0.1' }
const ACCEPTED =
  'HTTP/1.1 202 Accepted\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: 2\r\n\r\nok'

const servers: Array<Server | HttpServer> = []
const serverSockets: Socket[] = []
after(() => {
  for (const server of servers) server.close()
  for (const socket of serverSockets) socket.destroy()
})

const urlOf = (server: Server | HttpServer) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`

/** A Plausible stand-in that answers each request on a connection by what `answer` writes, and counts connections. */
async function scriptedServer(answer: (socket: Socket, request: number) => void) {
  const sockets: Socket[] = []
  let requests = 0
  const server = createTcpServer((socket) => {
    sockets.push(socket)
    serverSockets.push(socket)
    let buffered = ''
    socket.on('data', (chunk) => {
      buffered += chunk.toString('latin1')
      // Each request is a head plus a JSON body of its content-length.
      for (;;) {
        const headEnd = buffered.indexOf('\r\n\r\n')
        const length = Number(/content-length: (\d+)/i.exec(buffered)?.[1] ?? Number.NaN)
        if (headEnd === -1 || buffered.length < headEnd + 4 + length) return
        buffered = buffered.slice(headEnd + 4 + length)
        answer(socket, ++requests)
      }
    })
    socket.on('error', () => {})
  })
  servers.push(server)
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return { url: urlOf(server), connections: () => sockets.length, requests: () => requests }
}

const client = (url: string, timeoutMs = 2000) =>
  createPlausibleClient({ url, timeoutMs, transport: createHttp1Transport(connectNodeSocket) })

describe('sending events to Plausible over the relay’s own HTTP/1.1 connections', () => {
  it('sends exactly the contract’s headers and the event as JSON, and nothing a runtime would add', async () => {
    const plausible = await startFakePlausible({ domain: SITE })
    after(() => plausible.stop())
    assert.equal(await client(plausible.url).send(EVENT, VISITOR), 'forwarded')
    const [received] = plausible.events
    assert.deepEqual(received?.violations, [])
    assert.deepEqual(received?.body, EVENT)
    assert.deepEqual(Object.keys(received?.headers ?? {}).sort(), [
      'content-length',
      'content-type',
      'host',
      'user-agent',
      'x-forwarded-for',
    ])
    assert.equal(received?.headers['user-agent'], BROWSER_UA)
  })

  it('counts the body in bytes, so text beyond ASCII arrives whole', async () => {
    const plausible = await startFakePlausible({ domain: SITE })
    after(() => plausible.stop())
    const feedback: UpstreamEvent = {
      name: 'Feedback',
      url: `https://${SITE}/`,
      domain: SITE,
      referrer: null,
      props: { rating: 5, message: 'Grüße aus Köln – 👍' },
    }
    const sender = client(plausible.url)
    assert.equal(await sender.send(feedback, VISITOR), 'forwarded')
    assert.equal(
      await sender.send(EVENT, VISITOR),
      'forwarded',
      'the next request on the connection is intact',
    )
    assert.deepEqual(
      plausible.events.map((event) => event.body),
      [feedback, EVENT],
    )
  })

  it('keeps connections open: 200 events 16 at a time travel over at most 16 connections', async () => {
    const server = await scriptedServer((socket) => socket.write(ACCEPTED))
    const plausible = client(server.url)
    let next = 0
    const outcomes: string[] = []
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next++ < 200) outcomes.push(await plausible.send(EVENT, VISITOR))
      }),
    )
    assert.deepEqual(new Set(outcomes), new Set(['forwarded']))
    assert.equal(outcomes.length, 200)
    assert.ok(server.connections() <= 16, `${server.connections()} connections`)
  })

  it('opens a new connection when the server closed the idle one, or said it would', async () => {
    const idleClosing = createHttpServer((request, response) => {
      request.resume()
      request.on('end', () => response.writeHead(202, { 'content-length': '2' }).end('ok'))
    })
    idleClosing.keepAliveTimeout = 50
    idleClosing.on('connection', (socket: Socket) => serverSockets.push(socket))
    servers.push(idleClosing)
    idleClosing.listen(0, '127.0.0.1')
    await once(idleClosing, 'listening')
    const plausible = client(urlOf(idleClosing))
    assert.equal(await plausible.send(EVENT, VISITOR), 'forwarded')
    await new Promise((resolve) => setTimeout(resolve, 200))
    assert.equal(await plausible.send(EVENT, VISITOR), 'forwarded')

    const closing = await scriptedServer((socket) =>
      socket.write(ACCEPTED.replace('\r\n\r\n', '\r\nconnection: close\r\n\r\n'), () => socket.end()),
    )
    const toClosing = client(closing.url)
    for (let index = 0; index < 3; index++) assert.equal(await toClosing.send(EVENT, VISITOR), 'forwarded')
    assert.equal(closing.connections(), 3)
  })

  it('never reuses a connection that waited longer than its idle time, and closes it', async () => {
    const closedByRelay: number[] = []
    const server = await scriptedServer((socket, request) => {
      socket.once('end', () => closedByRelay.push(request))
      socket.write(ACCEPTED)
    })
    const plausible = createPlausibleClient({
      url: server.url,
      timeoutMs: 2000,
      transport: createHttp1Transport(connectNodeSocket, { idleConnectionMs: 100 }),
    })
    assert.equal(await plausible.send(EVENT, VISITOR), 'forwarded')
    await new Promise((resolve) => setTimeout(resolve, 300))
    assert.equal(await plausible.send(EVENT, VISITOR), 'forwarded')
    await new Promise((resolve) => setTimeout(resolve, 50))
    assert.equal(server.connections(), 2)
    assert.deepEqual(closedByRelay, [1], 'the stale connection was closed; the fresh one stays open')
  })

  it('reads chunked and unframed answers, and whatever Plausible says in them', async () => {
    const answers = [
      'HTTP/1.1 202 Accepted\r\ntransfer-encoding: chunked\r\nx-plausible-dropped: 1\r\n\r\n2\r\nok\r\n0\r\n\r\n',
      'HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\n\r\n{"errors":{"url":["is required"]}}',
    ]
    const server = await scriptedServer((socket, request) => {
      const answer = answers[request - 1] ?? ACCEPTED
      // The unframed answer ends with the connection.
      socket.write(answer, () => (answer.includes('400') ? socket.end() : undefined))
    })
    const plausible = client(server.url)
    assert.equal(await plausible.send(EVENT, VISITOR), 'dropped')
    assert.equal(await plausible.send(EVENT, VISITOR), 'rejected')
    assert.equal(await plausible.send(EVENT, VISITOR), 'forwarded')
    assert.equal(server.connections(), 2, 'the unframed answer used up its connection')
  })

  it('counts a garbled answer, a reset and a silent close as failed (the event may have arrived), and recovers', async () => {
    const server = await scriptedServer((socket, request) => {
      if (request === 1) socket.write('SSH-2.0-OpenSSH_9.2\r\n\r\n')
      else if (request === 2) socket.resetAndDestroy()
      else if (request === 3) socket.end()
      else socket.write(ACCEPTED)
    })
    const plausible = client(server.url)
    for (const expected of ['failed', 'failed', 'failed', 'forwarded'])
      assert.equal(await plausible.send(EVENT, VISITOR), expected)
    assert.equal(server.requests(), 4)
  })

  it('does not reuse a connection on which the server spoke out of turn', async () => {
    const server = await scriptedServer((socket, request) =>
      socket.write(ACCEPTED, () =>
        request === 1 ? setTimeout(() => socket.write('HTTP/1.1 200'), 5) : undefined,
      ),
    )
    const plausible = client(server.url)
    assert.equal(await plausible.send(EVENT, VISITOR), 'forwarded')
    await new Promise((resolve) => setTimeout(resolve, 50))
    assert.equal(await plausible.send(EVENT, VISITOR), 'forwarded')
    assert.equal(server.connections(), 2)
  })

  it('retries only when the connection was refused, which means nothing was sent', async () => {
    assert.equal(await client(`http://127.0.0.1:${await freePort()}`).send(EVENT, VISITOR), 'retry')
  })

  it('gives up on an answer that does not come within the timeout, and does not reuse that connection', async () => {
    const server = await scriptedServer((socket, request) =>
      request === 1 ? undefined : socket.write(ACCEPTED),
    )
    const plausible = client(server.url, 200)
    const started = performance.now()
    assert.equal(await plausible.send(EVENT, VISITOR), 'failed')
    const waited = performance.now() - started
    assert.ok(waited >= 200 && waited < 1000, `gave up after ${Math.round(waited)} ms`)
    assert.equal(await plausible.send(EVENT, VISITOR), 'forwarded')
    assert.equal(server.connections(), 2)
  })

  it('sends nothing when a header would break the request’s lines', async () => {
    const server = await scriptedServer((socket) => socket.write(ACCEPTED))
    const outcome = await client(server.url).send(EVENT, {
      ...VISITOR,
      userAgent: 'Mozilla\r\nx-plausible-ip: 1.2.3.4',
    })
    assert.equal(outcome, 'failed')
    assert.equal(server.connections(), 0)
  })
})
