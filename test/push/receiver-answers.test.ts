// What the push makes of a receiver's answers, from a server started as the README starts it on each runtime: a
// 429 whose Retry-After asks for no wait, or says nothing readable, does not turn the backoff off (RFC 9110
// §10.2.3, and Prometheus's own client, storage/remote/client.go and queue_manager.go: such a header counts as
// absent); a 2xx is delivered whatever its body (queue_manager.go takes any 2xx as sent and discards the body).
import assert from 'node:assert/strict'
import { afterEach, before, describe, it } from 'node:test'
import { samplesOf } from '../helpers/exposition.ts'
import { freePort } from '../helpers/free-port.ts'
import { buildServerBundles } from '../helpers/project.ts'
import { type FakeReceiver, startFakeReceiver } from '../helpers/remote-write-receiver.ts'
import { RUNTIMES } from '../helpers/runtimes.ts'
import { type ServerProcess, startServer } from '../helpers/server-process.ts'
import { until } from '../helpers/until.ts'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const timestampOf = (write: FakeReceiver['writes'][number]) => write.series[0]?.samples[0]?.timestampMs

describe("the push and its receiver's answers", () => {
  let receiver: FakeReceiver | undefined
  let server: ServerProcess | undefined
  before(() => buildServerBundles())
  afterEach(async () => {
    await server?.stop()
    await receiver?.stop()
    server = undefined
    receiver = undefined
  })

  const startPushing = async (runtime: (typeof RUNTIMES)[number], answering: FakeReceiver) => {
    server = await startServer(runtime.standalone, {
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      METRICS_REMOTE_WRITE_URL: answering.url,
      METRICS_REMOTE_WRITE_INTERVAL_SECONDS: '1',
      METRICS_INSTALLATION_ID: 'acme-prod',
    })
    return server
  }
  const pushCounts = async (url: string) => {
    const text = await (await fetch(`${url}/actuator/prometheus`)).text()
    return {
      sent: samplesOf(text, 'meshstack_remote_write_samples_total', { outcome: 'sent' })[0]?.value ?? 0,
      retries: samplesOf(text, 'meshstack_remote_write_retries_total')[0]?.value ?? 0,
    }
  }

  for (const runtime of RUNTIMES) {
    describe(`on ${runtime.name}`, () => {
      it('backs off after a 429 whose Retry-After is 0, a past date or junk, as if it had none', async () => {
        receiver = await startFakeReceiver()
        const junk = ['0', 'Thu, 01 Jan 1970 00:00:00 GMT', '-1', 'garbage 1', '1.5', 'soon']
        receiver.replyWith((index) => ({
          status: 429,
          headers: { 'retry-after': junk[index % junk.length] as string },
        }))
        await startPushing(runtime, receiver)
        const writes = receiver.writes
        await until(() => writes.length > 0, 10_000, 'a first push')
        await sleep(5000)

        // Backoff from 1 s, doubling, with jitter over its upper half: 0.5 + 1 + 2 s, so at most 4 or 5 requests.
        const count = writes.filter((write) => write.at - (writes[0]?.at ?? 0) <= 5000).length
        assert.ok(count >= 2 && count <= 6, `${count} requests in 5 s`)
        const [first, again] = writes
        assert.ok(first !== undefined && again !== undefined)
        assert.equal(timestampOf(again), timestampOf(first), 'the same request again')
        const gap = again.at - first.at
        assert.ok(gap >= 450, `sent again after ${Math.round(gap)} ms`)
      })

      it('takes a 2xx with a body over 1 MiB as delivered, and sends each request once', async () => {
        receiver = await startFakeReceiver()
        receiver.replyWith({ status: 200, body: new Uint8Array(2 * 1024 * 1024).fill(0x78) })
        const { url } = await startPushing(runtime, receiver)
        const writes = receiver.writes
        await until(() => writes.length >= 3, 10_000, 'three pushes')

        const timestamps = writes.map(timestampOf)
        assert.equal(
          new Set(timestamps).size,
          timestamps.length,
          `each request once: ${timestamps.join(', ')}`,
        )
        const counts = await pushCounts(url)
        assert.ok(counts.sent > 0, 'counted sent')
        assert.equal(counts.retries, 0, 'never sent again')
      })
    })
  }
})
