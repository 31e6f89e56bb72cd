// The push's spool (METRICS_REMOTE_WRITE_SPOOL_DIR): unsent requests survive a process killed with SIGKILL and are
// sent, oldest first, by the next; damaged and foreign segments are skipped with a warning; the size and age bounds
// drop the oldest, counted. The standalone server on Node, Deno and Bun, against the strict fake receiver
// (test/helpers/remote-write-receiver.ts), which checks that every series' samples arrive in time order.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { crc32 } from 'node:zlib'
import { ConfigError } from '../../src/config/config-error.ts'
import { createTelemetryApp as createEdgeApp } from '../../src/edge.ts'
import { encodeRecord } from '../../src/push/spool/record.ts'
import type { TimeSeries } from '../../src/push/time-series.ts'
import { encodeWriteRequest } from '../../src/push/write-request.ts'
import { samplesOf } from '../helpers/exposition.ts'
import { freePort } from '../helpers/free-port.ts'
import { buildServerBundles } from '../helpers/project.ts'
import {
  prometheusUnavailable,
  type RemoteWriteReceiver,
  startRemoteWriteReceiver,
} from '../helpers/prometheus.ts'
import { type FakeReceiver, startFakeReceiver } from '../helpers/remote-write-receiver.ts'
import { RUNTIMES, type RuntimeTarget } from '../helpers/runtimes.ts'
import { runToExit, type ServerProcess, startServer } from '../helpers/server-process.ts'
import { until } from '../helpers/until.ts'

const PROBE = 'spool_probe'
/** Each test's probe series has a label of its own: the receiver checks time order per series across tests. */
let run = ''
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A remote write body of one `spool_probe` series, or of `pad` series with `padChars` random characters each. */
function probeBody(value: number, timestampMs: number, pad = 0, padChars = 0): Uint8Array<ArrayBuffer> {
  const series: TimeSeries[] = [
    {
      labels: [
        ['__name__', PROBE],
        ['run', run],
      ],
      value,
    },
  ]
  for (let index = 0; index < pad; index++)
    series.push({
      labels: [
        ['__name__', `${PROBE}_pad`],
        ['pad', randomBytes(padChars / 2).toString('hex')],
      ],
      value,
    })
  return encodeWriteRequest(series, timestampMs) as Uint8Array<ArrayBuffer>
}

/** One record as the module writes it (src/push/spool/record.ts), checksummed with zlib's CRC-32. */
const record = (seq: number, value: number, timestampMs: number, pad = 0, padChars = 0) =>
  encodeRecord(
    { seq, timestampMs, samples: 1 + pad, body: probeBody(value, timestampMs, pad, padChars) },
    crc32,
  )

const concat = (...parts: Uint8Array[]) => Buffer.concat(parts)

async function metric(server: ServerProcess, name: string, where: Record<string, string> = {}) {
  const text = await (await fetch(`${server.url}/actuator/prometheus`)).text()
  return samplesOf(text, name, where)[0]?.value ?? 0
}

describe('the push spool', () => {
  let receiver: FakeReceiver
  const folders: string[] = []
  const servers: ServerProcess[] = []
  before(async () => {
    buildServerBundles()
    receiver = await startFakeReceiver()
  })
  after(async () => {
    await Promise.all(servers.map((server) => server.stop('SIGKILL')))
    await receiver?.stop()
    await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })))
  })
  const spoolFolder = async () => {
    const folder = await mkdtemp(join(tmpdir(), 'spool-'))
    folders.push(folder)
    return folder
  }
  const start = async (runtime: RuntimeTarget, spool: string, extra: Record<string, string> = {}) => {
    const server = await startServer(runtime.standalone, {
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      METRICS_REMOTE_WRITE_URL: receiver.url,
      METRICS_REMOTE_WRITE_INTERVAL_SECONDS: '1',
      METRICS_REMOTE_WRITE_TIMEOUT_MS: '1000',
      METRICS_INSTALLATION_ID: 'acme-prod',
      METRICS_INSTANCE: `spool-${runtime.name}-${randomBytes(3).toString('hex')}`,
      METRICS_REMOTE_WRITE_SPOOL_DIR: spool,
      ...extra,
    })
    servers.push(server)
    return server
  }
  const probes = () => receiver.takenSamples(PROBE).filter((sample) => sample.labels.includes(`run=${run}`))

  for (const runtime of RUNTIMES) {
    it(`on ${runtime.name}: a push killed with SIGKILL while the receiver is down sends the outage's requests, oldest first, once restarted on its spool`, async () => {
      const spool = await spoolFolder()
      await receiver.stop()
      const first = await start(runtime, spool)
      const instance = `instance=${first.logs.find((line) => line.msg === 'metrics are pushed')?.instance}`
      let pending = 0
      await until(
        async () => {
          pending = await metric(first, 'meshstack_remote_write_pending_batches')
          return pending >= 3
        },
        10_000,
        'three requests wait for the receiver',
      )
      assert.ok((await metric(first, 'meshstack_remote_write_spool_bytes')) > 0, 'the spool holds them')
      const killedAt = Date.now()
      assert.equal(await first.stop('SIGKILL'), null)
      receiver.takeWrites()
      await receiver.start()

      const second = await start(runtime, spool)
      const fromOutage = () =>
        receiver
          .takenSamples('process_cpu_seconds_total')
          .filter((sample) => sample.labels.includes(instance) && sample.timestampMs < killedAt)
      await until(
        async () => fromOutage().length >= pending,
        10_000,
        `the ${pending} requests of the outage arrive`,
      )
      const timestamps = fromOutage().map((sample) => sample.timestampMs)
      assert.deepEqual(
        timestamps,
        [...timestamps].sort((a, b) => a - b),
        'oldest first',
      )
      assert.deepEqual(
        receiver.writes.flatMap((write) => write.violations),
        [],
        'each series in time order, as remote write 1.0 asks',
      )
      assert.equal(await metric(second, 'meshstack_remote_write_samples_total', { outcome: 'failed' }), 0)
      await second.stop()
    })

    it(`on ${runtime.name}: skips a damaged and a foreign segment with a warning, sends every request that checks, and leaves the foreign file alone`, async () => {
      const spool = await spoolFolder()
      run = `damaged-${runtime.name}`
      const now = Date.now()
      const damaged = record(3, 3, now - 28_000)
      damaged[damaged.length - 1] = (damaged[damaged.length - 1] as number) ^ 0xff
      await writeFile(
        join(spool, '0000000000000001.seg'),
        concat(record(1, 1, now - 30_000), record(2, 2, now - 29_000), damaged),
      )
      await writeFile(join(spool, '0000000000000004.seg'), 'not a segment of the spool\n')
      await writeFile(join(spool, '0000000000000005.seg'), record(5, 5, now - 27_000))
      const server = await start(runtime, spool)

      await until(async () => probes().length >= 3, 5000, 'the three good requests arrive')
      await sleep(1500)
      assert.deepEqual(
        probes().map((sample) => sample.value),
        [1, 2, 5],
        'in order, without the damaged one',
      )
      const skipped = server.logs.filter((line) => line.msg === 'remote write spool: file skipped')
      assert.deepEqual(
        skipped.map(({ file, reason }) => `${file} ${reason}`),
        ['0000000000000001.seg damaged', '0000000000000004.seg foreign'],
      )
      assert.match(String(skipped[0]?.detail), /checksum mismatch at byte \d+ \(2 requests read before it\)/)
      for (const reason of ['damaged', 'foreign'])
        assert.equal(await metric(server, 'meshstack_remote_write_spool_skipped_files_total', { reason }), 1)
      assert.equal(
        await readFile(join(spool, '0000000000000004.seg'), 'utf8'),
        'not a segment of the spool\n',
      )
      await until(
        async () => !existsSync(join(spool, '0000000000000001.seg')),
        3000,
        'a segment whose requests are all settled is deleted',
      )
      assert.equal(await server.stop(), 0)
      receiver.takeWrites()
    })

    it(`on ${runtime.name}: drops what is older than the age bound and the oldest beyond the size bound, counted and logged`, async () => {
      const spool = await spoolFolder()
      run = `bounds-${runtime.name}`
      const now = Date.now()
      // Random label values do not compress: three requests of about 400 KB each pass the 1 MiB bound together.
      await writeFile(
        join(spool, '0000000000000001.seg'),
        concat(
          record(1, 1, now - 600_000),
          record(2, 2, now - 30_000, 400, 1000),
          record(3, 3, now - 29_000, 400, 1000),
          record(4, 4, now - 28_000, 400, 1000),
        ),
      )
      const server = await start(runtime, spool, {
        METRICS_REMOTE_WRITE_SPOOL_MAX_AGE_SECONDS: '60',
        METRICS_REMOTE_WRITE_SPOOL_MAX_BYTES: '1048576',
      })
      await until(async () => probes().length >= 2, 5000, 'the two newest requests arrive')
      await sleep(1500)
      assert.deepEqual(
        probes().map((sample) => sample.value),
        [3, 4],
      )
      const dropped = (reason: string) =>
        metric(server, 'meshstack_remote_write_spool_dropped_batches_total', { reason })
      assert.equal(await dropped('age'), 1)
      assert.equal(await dropped('size'), 1)
      assert.equal(
        await metric(server, 'meshstack_remote_write_samples_total', { outcome: 'dropped' }),
        1 + 401,
      )
      const warnings = server.logs.filter(
        (line) => line.msg === 'remote write spool full, oldest batch dropped',
      )
      assert.deepEqual(
        warnings.map((line) => line.reason),
        ['size', 'age'],
      )
      assert.equal(await server.stop(), 0)
      receiver.takeWrites()
    })
  }

  it('keeps what shutdown leaves unsent for the next start, and deletes its segments once every request is sent', async () => {
    const [node] = RUNTIMES as [RuntimeTarget]
    const spool = await spoolFolder()
    await receiver.stop()
    const first = await start(node, spool, { SHUTDOWN_TIMEOUT_MS: '1000' })
    await until(
      async () => (await metric(first, 'meshstack_remote_write_pending_batches')) >= 2,
      5000,
      'two wait',
    )
    assert.equal(await first.stop(), 0)
    const kept = first.logs.find(
      (line) => line.msg === 'remote write shutdown: samples kept in the spool for the next start',
    )
    assert.ok(Number(kept?.samples) > 0, 'the shutdown says what it kept')
    assert.ok(
      !first.logs.some((line) => line.msg === 'remote write shutdown: samples dropped'),
      'and drops none',
    )
    await receiver.start()
    const second = await start(node, spool)
    await until(
      async () => (await metric(second, 'meshstack_remote_write_pending_batches')) === 0,
      10_000,
      'every request is sent',
    )
    assert.equal(await second.stop(), 0)
    assert.deepEqual(await readdir(spool), ['acked'], 'no segment is left')
    receiver.takeWrites()
  })

  it('refuses a size bound below a segment, naming the variable and its range', async () => {
    const [node] = RUNTIMES as [RuntimeTarget]
    const result = await runToExit(node.standalone, {
      METRICS_REMOTE_WRITE_URL: receiver.url,
      METRICS_INSTALLATION_ID: 'acme-prod',
      METRICS_REMOTE_WRITE_SPOOL_DIR: await spoolFolder(),
      METRICS_REMOTE_WRITE_SPOOL_MAX_BYTES: '4096',
    })
    assert.equal(result.code, 1)
    assert.match(result.stderr, /METRICS_REMOTE_WRITE_SPOOL_MAX_BYTES must be an integer between 1048576 and/)
  })
})

// Prometheus' remote write handler (prometheus/prometheus storage/remote/write_handler.go) answers 400 to a request
// with a sample older than its series' newest (storage.ErrOutOfOrderSample) and counts it in
// prometheus_tsdb_out_of_order_samples_total (tsdb/head_append.go); an exact duplicate is taken silently.
describe('the spool with a real Prometheus receiver', { skip: prometheusUnavailable() }, () => {
  let prometheus: RemoteWriteReceiver
  const folders: string[] = []
  before(async () => {
    buildServerBundles()
    prometheus = await startRemoteWriteReceiver()
  })
  after(async () => {
    await prometheus?.stop()
    await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })))
  })
  const ownMetric = async (name: string, where: Record<string, string> = {}) => {
    const text = await (await fetch(`${prometheus.url}/metrics`)).text()
    return samplesOf(text, name, where).reduce((sum, sample) => sum + sample.value, 0)
  }
  const refusals = () =>
    ownMetric('prometheus_http_requests_total', { handler: '/api/v1/write', code: '400' })

  for (const runtime of RUNTIMES) {
    it(`on ${runtime.name}: a push killed with SIGKILL during an outage delivers the outage's samples once Prometheus is back, in order, none refused`, async () => {
      const spool = await mkdtemp(join(tmpdir(), 'spool-'))
      folders.push(spool)
      const instance = `spool-${runtime.name}-${randomBytes(3).toString('hex')}`
      const env = {
        HOST: '127.0.0.1',
        METRICS_REMOTE_WRITE_URL: prometheus.writeUrl,
        METRICS_REMOTE_WRITE_INTERVAL_SECONDS: '1',
        METRICS_REMOTE_WRITE_TIMEOUT_MS: '1000',
        METRICS_INSTALLATION_ID: 'acme-prod',
        METRICS_INSTANCE: instance,
        METRICS_REMOTE_WRITE_SPOOL_DIR: spool,
      }
      const series = `process_cpu_seconds_total{instance="${instance}"}`
      const timestamps = async () =>
        ((await prometheus.samples(series, 120))[0]?.values ?? []).map(([seconds]) =>
          Math.round(seconds * 1000),
        )
      const first = await startServer(runtime.standalone, { ...env, PORT: String(await freePort()) })
      try {
        await until(async () => (await timestamps()).length > 0, 5000, 'the push reaches Prometheus')
        await prometheus.pause()
        const outageFrom = Date.now()
        await until(
          async () => (await metric(first, 'meshstack_remote_write_pending_batches')) >= 4,
          10_000,
          'four pushes wait for the receiver',
        )
        assert.equal(await first.stop('SIGKILL'), null)
        const killedAt = Date.now()
        await prometheus.resume()
        const outOfOrderBefore = await ownMetric('prometheus_tsdb_out_of_order_samples_total')
        const refusedBefore = await refusals()

        const second = await startServer(runtime.standalone, { ...env, PORT: String(await freePort()) })
        try {
          const fromOutage = async () =>
            (await timestamps()).filter((timestampMs) => timestampMs >= outageFrom && timestampMs < killedAt)
          await until(
            async () => (await fromOutage()).length >= 4,
            10_000,
            "the outage's samples are queryable",
          )
          await until(
            async () => (await timestamps()).some((timestampMs) => timestampMs > killedAt),
            5000,
            'and new ones',
          )
          const all = await timestamps()
          assert.deepEqual(
            all,
            [...all].sort((a, b) => a - b),
          )
          assert.equal(await ownMetric('prometheus_tsdb_out_of_order_samples_total'), outOfOrderBefore)
          assert.equal(await refusals(), refusedBefore, 'no request refused')
          assert.equal(await metric(second, 'meshstack_remote_write_samples_total', { outcome: 'failed' }), 0)
          assert.ok(!/out of order/i.test(prometheus.log()), prometheus.log())
        } finally {
          await second.stop()
        }
      } finally {
        await first.stop('SIGKILL')
      }
    })
  }
})

describe('the edge entry', () => {
  it('refuses a spool: workerd has no file system', () => {
    assert.throws(
      () => createEdgeApp({ remoteWrite: { spoolDir: '/var/spool/telemetry' } }),
      (error: unknown) =>
        error instanceof ConfigError &&
        /remoteWrite\.spoolDir must be unset on this runtime/.test(error.message),
    )
  })
})
