import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { createTelemetryApp } from '../../src/mod.ts'
import { samplesOf } from '../helpers/exposition.ts'
import {
  BROWSER_UA,
  pageview,
  type RelayUnderTest,
  relayOutcomes,
  SITE,
  startRelay,
} from '../helpers/relay-server.ts'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
/**
 * Waits until Plausible has `count` events, then asserts they are `/page-0` … `/page-(count-1)`, each once and in
 * that order, and that the relay counted them forwarded.
 */
const assertPagesArriveInOrder = async (relay: RelayUnderTest, count: number, timeoutMs: number) => {
  const events = await relay.plausible.waitForEvents(count, timeoutMs)
  await sleep(300)
  assert.deepEqual(
    relay.plausible.events.map((event) => event.body.url),
    Array.from({ length: count }, (_, index) => `https://${SITE}/page-${index}`),
  )
  assert.equal((await relayOutcomes(relay.url)).forwarded, count)
  return events
}

describe('the relay, enabled', () => {
  const relays: RelayUnderTest[] = []
  const relay = async (...args: Parameters<typeof startRelay>) => {
    const started = await startRelay(...args)
    relays.push(started)
    return started
  }
  after(() => Promise.all(relays.map((one) => one.close())))

  it('answers 202 at once and forwards a sanitised page view with the browser UA and the socket address', async () => {
    const r = await relay()
    const response = await r.send(
      pageview('/workspaces/3fa85f64-5717-4562-b3fc-2c963f66afa6?token=secret#/x'),
      {
        cookie: 'session=abc123',
        authorization: 'Bearer user-token',
        'x-plausible-ip': '198.51.100.1',
        'cf-connecting-ip': '198.51.100.2',
      },
    )
    assert.equal(response.status, 202)
    assert.equal(await response.text(), 'ok')
    const [event] = await r.plausible.waitForEvents(1)
    assert.deepEqual(event?.violations, [])
    assert.deepEqual(event?.body, {
      name: 'pageview',
      url: `https://${SITE}/workspaces/:id`,
      domain: SITE,
      referrer: null,
    })
    assert.equal(event?.userAgent, BROWSER_UA)
    assert.equal(event?.headers['x-forwarded-for'], '127.0.0.1')
    assert.equal(event?.effectiveIp, '127.0.0.1')
    assert.deepEqual(await relayOutcomes(r.url), { forwarded: 1 })
  })

  it('never lets a spoofed X-Forwarded-For through without TRUST_PROXY, and reads it from the right with it', async () => {
    const untrusting = await relay()
    await untrusting.send(pageview(), { 'x-forwarded-for': '203.0.113.66' })
    assert.equal((await untrusting.plausible.waitForEvents(1))[0]?.effectiveIp, '127.0.0.1')
    const behindProxy = await relay({}, { trustProxy: 1 })
    await behindProxy.send(pageview(), { 'x-forwarded-for': '203.0.113.66, 198.51.100.7' })
    assert.equal((await behindProxy.plausible.waitForEvents(1))[0]?.effectiveIp, '198.51.100.7')
  })

  it('answers invalid events with 400 problem+json naming the field, and forwards nothing', async () => {
    const r = await relay()
    const cases: [object | string, string][] = [
      ['{"n": "pageview"', 'body must be a JSON object'],
      [pageview('/', { d: 'evil.example.com' }), 'domain must be the domain this relay serves'],
      [pageview('/', { n: 'Purchase' }), 'name must be an event this relay accepts'],
      [pageview('/', { u: 'javascript:alert(1)' }), 'u must be an absolute http(s) URL'],
    ]
    for (const [body, detail] of cases) {
      const response = await r.send(body)
      assert.equal(response.status, 400)
      assert.equal(response.headers.get('content-type'), 'application/problem+json')
      assert.deepEqual(await response.json(), {
        type: 'about:blank',
        title: 'Invalid event',
        status: 400,
        detail,
      })
    }
    const noAgent = await fetch(`${r.url}/api/event`, {
      method: 'POST',
      body: JSON.stringify(pageview()),
      headers: { 'user-agent': '' },
    })
    assert.equal(noAgent.status, 400)
    const tooLarge = await r.send('x'.repeat(9000))
    assert.equal(tooLarge.status, 413)
    const foreign = await r.send(pageview(), { origin: 'https://evil.example.com' })
    assert.equal(foreign.status, 403)
    await sleep(100)
    assert.equal(r.plausible.events.length, 0)
    assert.deepEqual(await relayOutcomes(r.url), { invalid: 7 })
  })

  it('limits bodies sent without a Content-Length (chunked) too: 413 beyond 8 KiB, accepted within', async () => {
    const r = await relay()
    const chunked = (text: string) => {
      const bytes = new TextEncoder().encode(text)
      return fetch(`${r.url}/api/event`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', 'user-agent': BROWSER_UA },
        body: new ReadableStream({
          start(controller) {
            for (let offset = 0; offset < bytes.length; offset += 1000)
              controller.enqueue(bytes.subarray(offset, offset + 1000))
            controller.close()
          },
        }),
        duplex: 'half',
      } as RequestInit)
    }
    const tooLarge = await chunked(JSON.stringify(pageview('/', { x: 'y'.repeat(9000) })))
    assert.equal(tooLarge.status, 413)
    assert.equal((await tooLarge.json()).title, 'Event too large')
    assert.equal((await chunked(JSON.stringify(pageview('/streamed')))).status, 202)
    const [event] = await r.plausible.waitForEvents(1)
    assert.equal(event?.body.url, `https://${SITE}/streamed`)
    assert.deepEqual(await relayOutcomes(r.url), { invalid: 1, forwarded: 1 })
  })

  it('forwards feedback with only the allowlisted props, and accepts the long-key form', async () => {
    const r = await relay()
    await r.send({
      name: 'Feedback',
      url: `https://${SITE}/projects?x=1`,
      domain: SITE,
      referrer: 'https://www.google.com/search?q=meshstack',
      props: { rating: 5, topic: 'projects', message: 'Great', email: 'jane@example.com' },
    })
    const [event] = await r.plausible.waitForEvents(1)
    assert.deepEqual(event?.body, {
      name: 'Feedback',
      url: `https://${SITE}/projects`,
      domain: SITE,
      referrer: 'https://www.google.com',
      props: { rating: 5, topic: 'projects', message: 'Great' },
    })
  })

  it('counts what Plausible did with each event: forwarded, dropped, rejected, failed (never retried)', async () => {
    const r = await relay()
    const replies = ['accept', 'drop', 'bad-request', 'server-error'] as const
    r.plausible.replyWith((_, index) => replies[index] ?? 'accept')
    for (const [index] of replies.entries()) {
      await r.send(pageview())
      await r.plausible.waitForEvents(index + 1)
    }
    await sleep(100)
    assert.equal(r.plausible.events.length, 4, 'a 500 is not retried: the event may have been stored')
    assert.deepEqual(await relayOutcomes(r.url), { forwarded: 1, dropped: 1, rejected: 1, failed: 1 })
  })

  it('retries 503 and 429 with backoff, delivering exactly once', async () => {
    const r = await relay()
    r.plausible.replyWith((_, index) => (index === 0 ? 'unavailable' : index === 1 ? 'too-many' : 'accept'))
    await r.send(pageview('/once'))
    const events = await r.plausible.waitForEvents(3)
    assert.ok((events[1]?.at ?? 0) - (events[0]?.at ?? 0) >= 200, 'backs off before retrying')
    await sleep(600)
    assert.equal(r.plausible.events.length, 3)
    assert.deepEqual(await relayOutcomes(r.url), { forwarded: 1 })
  })

  it('does not retry a timed-out send, which may have arrived', async () => {
    const r = await relay({ timeoutMs: 200 })
    r.plausible.replyWith({ delayMs: 1000 })
    await r.send(pageview())
    await sleep(1300)
    assert.equal(r.plausible.events.length, 1)
    assert.deepEqual(await relayOutcomes(r.url), { failed: 1 })
  })

  it('delivers events accepted during an outage after it ends, in order, exactly once', async () => {
    const r = await relay({ concurrency: 4 })
    await r.plausible.stop()
    for (let index = 0; index < 20; index++)
      assert.equal((await r.send(pageview(`/page-${index}`))).status, 202)
    await sleep(700)
    await r.plausible.start()
    const events = await assertPagesArriveInOrder(r, 20, 10_000)
    assert.deepEqual(
      events.flatMap((event) => event.violations),
      [],
    )
  })

  it('delivers a backlog of thousands of events after an outage, in order, exactly once', async () => {
    const backlog = 2500
    const r = await relay({
      concurrency: 8,
      queueSize: 5000,
      retryWindowMs: 60_000,
      rateLimitPerMinute: 1_000_000,
      rateLimitBurst: 1_000_000,
    })
    await r.plausible.stop()
    for (let index = 0; index < backlog; index++)
      assert.equal((await r.send(pageview(`/page-${index}`))).status, 202)
    await r.plausible.start()
    await assertPagesArriveInOrder(r, backlog, 30_000)
  })

  it('delivers every event exactly once, in order, while the upstream flaps between down and up', async () => {
    const r = await relay()
    const depth = async () => {
      const text = await (await fetch(`${r.url}/actuator/prometheus`)).text()
      const [sample] = samplesOf(text, 'meshstack_relay_queue_depth')
      assert.ok(sample, 'the queue depth is exposed')
      return sample.value
    }
    let sent = 0
    for (let cycle = 0; cycle < 3; cycle++) {
      // Go down only between sends: a connection cut mid-request may have delivered, and is rightly not retried.
      while ((await depth()) > 0) await sleep(20)
      await r.plausible.stop()
      for (let index = 0; index < 3; index++) await r.send(pageview(`/page-${sent++}`))
      await sleep(300)
      await r.plausible.start()
      for (let index = 0; index < 3; index++) await r.send(pageview(`/page-${sent++}`))
    }
    await assertPagesArriveInOrder(r, sent, 15_000)
  })

  it('sends 16 events at a time by default without a warning about listeners', async () => {
    const warnings: string[] = []
    const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`)
    process.on('warning', onWarning)
    try {
      const r = await relay({ rateLimitBurst: 100 })
      r.plausible.replyWith({ delayMs: 300 })
      const statuses = await Promise.all(
        Array.from({ length: 40 }, async (_, index) => (await r.send(pageview(`/page-${index}`))).status),
      )
      assert.deepEqual(new Set(statuses), new Set([202]))
      await r.plausible.waitForEvents(40, 10_000)
      await sleep(400)
      assert.equal((await relayOutcomes(r.url)).forwarded, 40)
      assert.deepEqual(warnings, [])
    } finally {
      process.off('warning', onWarning)
    }
  })

  it('answers 503 and counts the overflow when the queue is full', async () => {
    const r = await relay({ queueSize: 2, concurrency: 1 })
    r.plausible.replyWith({ delayMs: 500 })
    const statuses = []
    for (let index = 0; index < 4; index++) statuses.push((await r.send(pageview())).status)
    assert.deepEqual(statuses, [202, 202, 503, 503])
    assert.equal((await relayOutcomes(r.url)).overflow, 2)
    const scraped = await (await fetch(`${r.url}/actuator/prometheus`)).text()
    assert.deepEqual(samplesOf(scraped, 'meshstack_relay_queue_depth'), [
      { labels: { application: 'meshpanel' }, value: 2 },
    ])
  })

  it('logs events refused for a full queue as one WARN per burst, and how many more there were at shutdown', async () => {
    const lines: Record<string, unknown>[] = []
    const log = (line: string) => lines.push(JSON.parse(line))
    const r = await relay({ queueSize: 2, concurrency: 1, rateLimitBurst: 1000 }, { logLevel: 'warn', log })
    r.plausible.replyWith({ delayMs: 1000 })
    const statuses = []
    for (let index = 0; index < 50; index++) statuses.push((await r.send(pageview())).status)
    assert.equal(statuses.filter((status) => status === 503).length, 48)
    const refusals = () =>
      lines
        .filter((line) => line.msg === 'relay queue full, events refused')
        .map(({ time: _, ...line }) => line)
    assert.deepEqual(refusals(), [
      { level: 'warn', msg: 'relay queue full, events refused', queueSize: 2, count: 1 },
    ])
    await r.app.lifecycle.close()
    assert.deepEqual(
      refusals().map(({ count }) => count),
      [1, 47],
    )
    assert.equal((await relayOutcomes(r.url)).overflow, 48)
  })

  it('limits each client to its rate, answering 429 with Retry-After', async () => {
    const r = await relay({ rateLimitPerMinute: 60, rateLimitBurst: 3 })
    const statuses = []
    for (let index = 0; index < 5; index++) statuses.push((await r.send(pageview())).status)
    assert.deepEqual(statuses, [202, 202, 202, 429, 429])
    assert.equal((await relayOutcomes(r.url)).rate_limited, 2)
  })

  it('drains the queue on shutdown within the deadline, and logs no loss when none was', async () => {
    const lines: Record<string, unknown>[] = []
    const r = await relay(
      { concurrency: 1 },
      { logLevel: 'warn', log: (line) => lines.push(JSON.parse(line)) },
    )
    r.plausible.replyWith({ delayMs: 100 })
    for (let index = 0; index < 5; index++) await r.send(pageview())
    await r.app.lifecycle.close()
    assert.equal(r.plausible.events.length, 5)
    assert.deepEqual(lines, [])
  })

  it('logs how many events it gave up when the drain ended, those in flight included, each counted failed once', async () => {
    const lines: Record<string, unknown>[] = []
    const r = await relay(
      { concurrency: 2, drainTimeoutMs: 300 },
      { logLevel: 'warn', log: (line) => lines.push(JSON.parse(line)) },
    )
    r.plausible.replyWith({ delayMs: 1000 })
    for (let index = 0; index < 10; index++) assert.equal((await r.send(pageview())).status, 202)
    await r.plausible.waitForEvents(2)
    await r.app.lifecycle.close()
    const dropped = lines.filter((line) => line.msg === 'relay shutdown: events dropped')
    assert.deepEqual(
      dropped.map(({ level, dropped }) => ({ level, dropped })),
      [{ level: 'warn', dropped: 10 }],
    )
    // Past the time the answers to the two in flight would have come: they change no count.
    await sleep(1200)
    assert.deepEqual(await relayOutcomes(r.url), { failed: 10 })
    assert.equal(r.plausible.answered(), 0)
  })

  it('ends its drain when the signal given to close() aborts, before its own drain timeout', async () => {
    const lines: Record<string, unknown>[] = []
    const r = await relay(
      { concurrency: 1, drainTimeoutMs: 5000 },
      { logLevel: 'warn', log: (line) => lines.push(JSON.parse(line)) },
    )
    r.plausible.replyWith({ delayMs: 1000 })
    for (let index = 0; index < 5; index++) await r.send(pageview())
    const started = performance.now()
    await r.app.lifecycle.close(AbortSignal.timeout(300))
    const tookMs = performance.now() - started
    assert.ok(tookMs >= 290 && tookMs < 600, `closed after ${Math.round(tookMs)} ms`)
    assert.deepEqual(
      lines.filter((line) => line.msg === 'relay shutdown: events dropped').map((line) => line.dropped),
      [5],
    )
  })

  it('refuses an event that comes after its drain ended with 503, as nothing would send it, and logs that', async () => {
    const lines: Record<string, unknown>[] = []
    const r = await relay({}, { logLevel: 'warn', log: (line) => lines.push(JSON.parse(line)) })
    await r.app.lifecycle.close()
    assert.equal((await r.send(pageview())).status, 503)
    assert.deepEqual(
      lines.map(({ time: _, ...line }) => line),
      [{ level: 'warn', msg: 'relay stopped, events refused', count: 1 }],
    )
    assert.deepEqual(await relayOutcomes(r.url), { overflow: 1 })
  })

  it('tells the page it is enabled, and where to send', async () => {
    const r = await relay()
    assert.deepEqual(await (await fetch(`${r.url}/api/telemetry/config`)).json(), {
      enabled: true,
      domain: SITE,
      apiHost: '',
    })
  })
})

describe('the relay, disabled (the default)', () => {
  it('answers 404 on /api/event and tells the page it is disabled', async () => {
    const app = createTelemetryApp({ logLevel: 'silent' })
    const response = await app.request('/api/event', { method: 'POST', body: JSON.stringify(pageview()) })
    assert.equal(response.status, 404)
    assert.deepEqual(await (await app.request('/api/telemetry/config')).json(), { enabled: false })
  })
})
