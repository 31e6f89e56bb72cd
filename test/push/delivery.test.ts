// How the push delivers when the receiver fails, against a strict fake receiver that decodes every request and
// checks remote write 1.0's rules (test/helpers/remote-write-receiver.ts): outages, a full buffer, refusals, 429s
// and the last push at shutdown.
import assert from 'node:assert/strict'
import { afterEach, describe, it } from 'node:test'
import { createTelemetryApp, type TelemetryApp } from '../../src/mod.ts'
import { samplesOf } from '../helpers/exposition.ts'
import { type FakeReceiver, startFakeReceiver } from '../helpers/remote-write-receiver.ts'
import { until } from '../helpers/until.ts'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const SERIES = 'process_cpu_seconds_total'

describe('delivering pushes', () => {
  let app: TelemetryApp | undefined
  let receiver: FakeReceiver | undefined
  const logs: Record<string, unknown>[] = []
  afterEach(async () => {
    await app?.lifecycle.close()
    await receiver?.stop()
    app = undefined
    logs.length = 0
  })

  const start = async (remoteWrite: Record<string, unknown> = {}) => {
    receiver = await startFakeReceiver()
    app = createTelemetryApp({
      logLevel: 'warn',
      log: (line) => logs.push(JSON.parse(line)),
      remoteWrite: {
        url: receiver.url,
        installationId: 'acme-prod',
        instance: 'panel-0:8080',
        intervalSeconds: 1,
        ...remoteWrite,
      },
    })
    app.lifecycle.ready()
    return { app, receiver }
  }
  const samples = async (outcome: string) => {
    const text = await (await (app as TelemetryApp).request('/actuator/prometheus')).text()
    return samplesOf(text, 'meshstack_remote_write_samples_total', { outcome })[0]?.value ?? 0
  }

  it('sends requests as remote write 1.0 says: headers, sorted labels, millisecond timestamps, classic histograms', async () => {
    const { app, receiver } = await start()
    await app.request('/version')
    await sleep(2300)

    assert.ok(receiver.writes.length >= 2, `${receiver.writes.length} requests`)
    assert.deepEqual(
      receiver.writes.flatMap((write) => write.violations),
      [],
    )
    const [first] = receiver.writes
    assert.match(first?.headers['user-agent'] ?? '', /^meshstack-telemetry\/\S+$/)
    const buckets = first?.series.filter(({ labels }) =>
      labels.some(([name, value]) => name === '__name__' && value === 'http_server_requests_seconds_bucket'),
    )
    const les = buckets?.map(({ labels }) => labels.find(([name]) => name === 'le')?.[1])
    assert.ok(les?.includes('+Inf'), `le values ${les?.join(' ')}`)
    const cumulative = buckets?.map(({ samples }) => samples[0]?.value ?? 0) ?? []
    assert.deepEqual(
      cumulative,
      [...cumulative].sort((a, b) => a - b),
      'buckets are cumulative',
    )
    for (const { labels } of first?.series ?? []) {
      assert.ok(labels.some(([name, value]) => name === 'installation' && value === 'acme-prod'))
      assert.ok(labels.some(([name, value]) => name === 'instance' && value === 'panel-0:8080'))
    }
  })

  it("authenticates with the URL's user and password as basic auth, and shows the URL without them", async () => {
    receiver = await startFakeReceiver()
    const url = new URL(receiver.url)
    url.username = 'push'
    url.password = 's%40cret'
    app = createTelemetryApp({
      logLevel: 'silent',
      managementToken: 'management-token-0123456789',
      remoteWrite: { url: url.href, installationId: 'acme-prod', intervalSeconds: 1 },
    })
    app.lifecycle.ready()
    await sleep(1300)

    assert.equal(receiver.writes[0]?.headers.authorization, `Basic ${btoa('push:s@cret')}`)
    const preview = await app.request('/actuator/telemetry', {
      headers: { authorization: 'Bearer management-token-0123456789' },
    })
    const text = await preview.text()
    assert.equal((JSON.parse(text) as { target: string }).target, receiver.url)
    assert.ok(!text.includes('cret'), 'no password in the preview')
    const unauthorized = await app.request('/actuator/telemetry')
    assert.equal(unauthorized.status, 401)
  })

  it('keeps what it could not send while the receiver is down, and delivers it afterwards, in order', async () => {
    const { receiver } = await start()
    await sleep(1300)
    await receiver.stop()
    await sleep(3200)
    await receiver.start()
    await sleep(4000)

    const taken = receiver.takenSamples(SERIES).map(({ timestampMs }) => timestampMs)
    assert.deepEqual(
      receiver.writes.flatMap((write) => write.violations),
      [],
      'in order, each series once per time',
    )
    const gaps = taken.slice(1).map((timestampMs, index) => timestampMs - (taken[index] as number))
    assert.ok(taken.length >= 7, `${taken.length} samples of ${SERIES}`)
    assert.ok(
      gaps.every((gap) => gap < 1600),
      `a collection is missing: gaps ${gaps.join(', ')} ms`,
    )
  })

  it('drops the oldest requests beyond its buffer during a long outage, and counts them', async () => {
    const { receiver } = await start({ bufferBatches: 2 })
    await sleep(1300)
    await receiver.stop()
    await sleep(5200)
    await receiver.start()
    await sleep(3000)

    assert.ok((await samples('dropped')) > 0, 'dropped samples are counted')
    assert.deepEqual(
      receiver.writes.flatMap((write) => write.violations),
      [],
    )
    assert.ok(
      logs.some(
        (line) => line.level === 'warn' && line.msg === 'remote write buffer full, oldest batch dropped',
      ),
    )
  })

  it('does not send again what the receiver refuses with a 4xx, and counts it failed', async () => {
    const { receiver } = await start()
    receiver.replyWith({ status: 400 })
    await sleep(3300)

    const timestamps = receiver.writes.map((write) => write.series[0]?.samples[0]?.timestampMs)
    assert.equal(new Set(timestamps).size, timestamps.length, 'each request once')
    assert.ok(timestamps.length >= 2 && timestamps.length <= 5, `${timestamps.length} requests in 3.3 s`)
    assert.ok((await samples('failed')) > 0)
    const refusals = logs.filter((line) => line.msg === 'remote write refused, batch dropped')
    assert.equal(refusals.length, 1, 'one WARN a minute, with a count')
  })

  it('waits as long as a 429 asks in Retry-After before sending the same request again', async () => {
    const { receiver } = await start({ intervalSeconds: 1 })
    receiver.replyWith((index) =>
      index === 0 ? { status: 429, headers: { 'retry-after': '2' } } : { status: 204 },
    )
    await sleep(3800)

    const [refused, again] = receiver.writes
    assert.equal(refused?.status, 429)
    assert.equal(
      again?.series[0]?.samples[0]?.timestampMs,
      refused?.series[0]?.samples[0]?.timestampMs,
      'the same request',
    )
    const waited = (again?.at ?? 0) - (refused?.at ?? 0)
    assert.ok(waited >= 1950 && waited < 4000, `sent again after ${Math.round(waited)} ms`)
  })

  it('pushes once more at shutdown, within the shutdown bound', async () => {
    const { app, receiver } = await start({ intervalSeconds: 60 })
    await sleep(200)
    assert.equal(receiver.writes.length, 0)

    const started = performance.now()
    await app.lifecycle.close(AbortSignal.timeout(2000))

    assert.ok(performance.now() - started < 2000)
    assert.equal(receiver.writes.length, 1)
    assert.deepEqual(receiver.writes[0]?.violations, [])
  })

  it('reports remoteWrite DOWN after three silent intervals, and leaves readiness alone', async () => {
    const { app, receiver } = await start()
    const started = performance.now()
    await receiver.stop()
    const remoteWrite = async () =>
      (
        (await (await app.request('/actuator/health')).json()) as {
          components: Record<string, { status: string }>
        }
      ).components.remoteWrite?.status
    // The receiver may still take the first push while it stops (a keep-alive connection holds it open), so silence
    // begins at that push or at the start, whichever is later: DOWN within three intervals after that.
    await until(async () => (await remoteWrite()) === 'DOWN', 6000, 'remoteWrite DOWN')
    assert.ok(performance.now() - started >= 3000, 'not before three intervals')
    const readiness = await app.request('/actuator/health/readiness')
    assert.equal(readiness.status, 200)
  })
})
