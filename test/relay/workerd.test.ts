// The relay on workerd (through miniflare), where every I/O object, a timeout's signal among them, belongs to the
// request that made it, and a request's work ends with its response unless `waitUntil` covers it. A promise one
// request resolves for another runs its continuation in the other's context, as long as that one is alive
// (cloudflare/workerd src/workerd/io/io-own.c++, DeleteQueue::scheduleAction): so each request must send its own
// event, under its own `waitUntil`, with a signal of its own.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { samplesOf } from '../helpers/exposition.ts'
import { type FakePlausible, startFakePlausible } from '../helpers/fake-plausible/server.ts'
import { pageview, postEvent, relayOutcomes, SITE } from '../helpers/relay-server.ts'
import { until } from '../helpers/until.ts'
import { startWorker, type WorkerUnderTest } from '../helpers/workerd.ts'

describe('the relay on workerd', () => {
  let plausible: FakePlausible
  let worker: WorkerUnderTest
  let sent = 0

  before(async () => {
    plausible = await startFakePlausible({ domain: SITE })
    worker = await startWorker({
      PLAUSIBLE_ENABLED: 'true',
      PLAUSIBLE_URL: plausible.url,
      PLAUSIBLE_DOMAIN: SITE,
      LOG_LEVEL: 'warn',
    })
  })
  after(async () => {
    await worker?.stop()
    await plausible?.stop()
  })

  /** Posts one page view from its own client address (Cloudflare names it), so no rate limit applies. */
  const postOne = async (): Promise<number> => {
    const n = sent++
    const ip = `198.51.${Math.floor(n / 250)}.${(n % 250) + 1}`
    const response = await postEvent(worker.url, pageview(`/event-${n}`), { 'cf-connecting-ip': ip })
    await response.text()
    return response.status
  }

  const queueDepth = async (): Promise<number | undefined> => {
    const text = await (await fetch(`${worker.url}/actuator/prometheus`)).text()
    return samplesOf(text, 'meshstack_relay_queue_depth')[0]?.value
  }

  /** Every event answered 202 so far reached Plausible, each counted forwarded, and the queue holds nothing any more. */
  const allDelivered = async (what: string): Promise<void> => {
    const missing = () => {
      const paths = new Set(plausible.events.map((event) => event.body.url))
      return Array.from({ length: sent }, (_, n) => n).filter((n) => !paths.has(`https://${SITE}/event-${n}`))
    }
    await until(
      () => missing().length === 0,
      10_000,
      () =>
        `${what}: of ${sent} events accepted, ${missing().length} never reached Plausible (log: ${JSON.stringify(worker.logs.slice(-3))}, workerd: ${worker.output().slice(-2000)})`,
    )
    await until(async () => (await queueDepth()) === 0, 5000, `${what}: the queue depth back to 0`)
    const { forwarded } = await relayOutcomes(worker.url)
    assert.equal(forwarded, sent)
    assert.doesNotMatch(
      worker.output(),
      /different request/,
      'no I/O or promise crossed into another request',
    )
  }

  it('delivers 20 events sent back to back, each answered 202', async () => {
    for (let n = 0; n < 20; n++) assert.equal(await postOne(), 202)
    await allDelivered('back to back')
  })

  it('delivers 20 events sent at once', async () => {
    const statuses = await Promise.all(Array.from({ length: 20 }, postOne))
    assert.deepEqual(new Set(statuses), new Set([202]))
    await allDelivered('at once')
  })

  it('delivers 8 bursts of 20, then 5 events spaced apart, and its queue empties', async () => {
    for (let burst = 0; burst < 8; burst++) {
      const statuses = await Promise.all(Array.from({ length: 20 }, postOne))
      assert.deepEqual(new Set(statuses), new Set([202]))
    }
    for (let n = 0; n < 5; n++) {
      await new Promise((resolve) => setTimeout(resolve, 300))
      assert.equal(await postOne(), 202)
    }
    await allDelivered('bursts and spaced')
    assert.deepEqual(plausible.violations, [])
  })

  it("delivers 20 events sent at once while Plausible answers the first ten sends 503, retrying from each event's own request", async () => {
    const first = plausible.events.length
    plausible.replyWith((_event, index) => (index < first + 10 ? 'unavailable' : 'accept'))
    const statuses = await Promise.all(Array.from({ length: 20 }, postOne))
    assert.deepEqual(new Set(statuses), new Set([202]))
    await allDelivered('after 503s')
    const text = await (await fetch(`${worker.url}/actuator/prometheus`)).text()
    assert.ok((samplesOf(text, 'meshstack_relay_retries_total')[0]?.value ?? 0) >= 10)
  })
})

describe('the relay on workerd, when sends fail', () => {
  it("logs workerd's own words for a connection Plausible closed unanswered, never its address", async () => {
    const plausible = await startFakePlausible({ domain: SITE })
    const worker = await startWorker({
      PLAUSIBLE_ENABLED: 'true',
      PLAUSIBLE_URL: plausible.url,
      PLAUSIBLE_DOMAIN: SITE,
      LOG_LEVEL: 'warn',
    })
    try {
      plausible.replyWith('reset')
      const response = await postEvent(worker.url, pageview('/x'), { 'cf-connecting-ip': '198.51.100.7' })
      assert.equal(response.status, 202)
      await until(() => worker.logs.length > 0, 5000, 'a log line')
      const [{ time: _, ...line } = {}] = worker.logs
      assert.deepEqual(line, {
        level: 'warn',
        msg: 'relay send failed',
        reason: 'connection',
        error: 'the request failed: Error: Network connection lost.',
        count: 1,
      })
      assert.deepEqual(await relayOutcomes(worker.url), { failed: 1 })
    } finally {
      await worker.stop()
      await plausible.stop()
    }
  })
})
