// A strict fake of a remote write 1.0 receiver (prometheus.io/docs/specs/remote_write_spec, protobuf from
// prometheus/prometheus prompb/remote.proto and types.proto): it decodes every request with snappyjs and
// @bufbuild/protobuf's reader, records it with the rules it breaks, and answers as the test scripts it. The real
// receiver (Prometheus) is in prometheus.ts; this one can fail on cue and tell in what order samples came.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { BinaryReader, WireType } from '@bufbuild/protobuf/wire'
import SnappyJS from 'snappyjs'

export interface ReceivedSeries {
  readonly labels: readonly (readonly [string, string])[]
  readonly samples: readonly { readonly value: number; readonly timestampMs: number }[]
}

export interface ReceivedWrite {
  /** performance.now() on arrival. */
  readonly at: number
  readonly headers: Readonly<Record<string, string | undefined>>
  readonly series: readonly ReceivedSeries[]
  /** Rules of the spec this request breaks; empty when it follows them. */
  readonly violations: readonly string[]
  /** What the receiver answered. */
  readonly status: number
}

export interface Answer {
  readonly status: number
  readonly headers?: Readonly<Record<string, string>>
  /** Sent with its Content-Length; none by default. */
  readonly body?: Uint8Array
}

export interface FakeReceiver {
  readonly url: string
  readonly writes: readonly ReceivedWrite[]
  /** Answers for the following requests (default 204); a function decides per request. */
  replyWith(answer: Answer | ((index: number) => Answer)): void
  /** Closes the listener and every connection: the receiver is down. */
  stop(): Promise<void>
  /** Listens again on the same port. */
  start(): Promise<void>
  /** Samples per series name, across every request taken (2xx). */
  takenSamples(name: string): { labels: string; timestampMs: number; value: number }[]
  /**
   * Removes the requests recorded so far from `writes` and returns them, for runs long enough that keeping every
   * request would weigh; the order of samples is still checked across them.
   */
  takeWrites(): ReceivedWrite[]
}

function decodeLabel(bytes: Uint8Array): [string, string] {
  const reader = new BinaryReader(bytes)
  let name = ''
  let value = ''
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag()
    if (field === 1) name = reader.string()
    else if (field === 2) value = reader.string()
    else reader.skip(wireType)
  }
  return [name, value]
}

function decodeSample(bytes: Uint8Array): { value: number; timestampMs: number } {
  const reader = new BinaryReader(bytes)
  let value = 0
  let timestampMs = 0
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag()
    if (field === 1 && wireType === WireType.Bit64) value = reader.double()
    else if (field === 2) timestampMs = Number(reader.int64())
    else reader.skip(wireType)
  }
  return { value, timestampMs }
}

function decodeWriteRequest(bytes: Uint8Array): ReceivedSeries[] {
  const reader = new BinaryReader(bytes)
  const series: ReceivedSeries[] = []
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag()
    if (field !== 1) {
      reader.skip(wireType)
      continue
    }
    const inner = new BinaryReader(reader.bytes())
    const labels: [string, string][] = []
    const samples: { value: number; timestampMs: number }[] = []
    while (inner.pos < inner.len) {
      const [innerField, innerType] = inner.tag()
      if (innerField === 1) labels.push(decodeLabel(inner.bytes()))
      else if (innerField === 2) samples.push(decodeSample(inner.bytes()))
      else inner.skip(innerType)
    }
    series.push({ labels, samples })
  }
  return series
}

/** The spec's MUSTs for a request; `lastTimestamps` carries each series' newest timestamp across requests. */
function violationsOf(
  headers: Readonly<Record<string, string | undefined>>,
  series: readonly ReceivedSeries[],
  lastTimestamps: Map<string, number>,
): string[] {
  const problems: string[] = []
  const expect = (name: string, value: string) => {
    if (headers[name] !== value) problems.push(`${name} must be ${value}, got ${headers[name]}`)
  }
  expect('content-encoding', 'snappy')
  expect('content-type', 'application/x-protobuf')
  expect('x-prometheus-remote-write-version', '0.1.0')
  if (!headers['user-agent']) problems.push('user-agent is missing')
  for (const { labels, samples } of series) {
    const key = labels.map(([name, value]) => `${name}=${value}`).join(',')
    const names = labels.map(([name]) => name)
    if (!names.includes('__name__')) problems.push(`${key}: no __name__ label`)
    if (names.some((name, index) => index > 0 && (names[index - 1] as string) >= name))
      problems.push(`${key}: labels must be sorted by name, each once`)
    if (labels.some(([name, value]) => value === '' || !/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name)))
      problems.push(`${key}: a label with an invalid name or an empty value`)
    if (samples.length === 0) problems.push(`${key}: no sample`)
    for (const { timestampMs } of samples) {
      if (!Number.isInteger(timestampMs) || timestampMs < 1e12)
        problems.push(`${key}: timestamp ${timestampMs} is no Unix time in ms`)
      const last = lastTimestamps.get(key)
      if (last !== undefined && timestampMs <= last)
        problems.push(`${key}: timestamp ${timestampMs} not after ${last}`)
      lastTimestamps.set(key, timestampMs)
    }
  }
  return problems
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

export async function startFakeReceiver(): Promise<FakeReceiver> {
  const writes: ReceivedWrite[] = []
  const lastTimestamps = new Map<string, number>()
  let reply: Answer | ((index: number) => Answer) = { status: 204 }
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const at = performance.now()
    const body = await readBody(req).catch(() => undefined)
    if (body === undefined) return
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([name, value]) => [name, String(value)]),
    )
    let series: ReceivedSeries[] = []
    const violations: string[] = []
    try {
      series = decodeWriteRequest(SnappyJS.uncompress(new Uint8Array(body)))
    } catch (error) {
      violations.push(`the body is no snappy-compressed WriteRequest: ${error}`)
    }
    const answer = typeof reply === 'function' ? reply(writes.length) : reply
    // Only what is taken counts for the order of samples: a refused request is not stored.
    const order = answer.status < 300 ? lastTimestamps : new Map(lastTimestamps)
    violations.push(...violationsOf(headers, series, order))
    writes.push({ at, headers, series, violations, status: answer.status })
    const length = answer.body === undefined ? {} : { 'content-length': String(answer.body.byteLength) }
    res.writeHead(answer.status, { ...answer.headers, ...length }).end(answer.body)
  }
  const server = createServer((req, res) => void handle(req, res))
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port))
    })
  const port = await listen(0)
  return {
    url: `http://127.0.0.1:${port}/api/v1/write`,
    writes,
    replyWith(next) {
      reply = next
    },
    async stop() {
      if (!server.listening) return
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeAllConnections()
      await closed
    },
    async start() {
      if (!server.listening) await listen(port)
    },
    takenSamples(name) {
      return writes
        .filter((write) => write.status < 300)
        .flatMap((write) => write.series)
        .filter(({ labels }) => labels.some(([label, value]) => label === '__name__' && value === name))
        .flatMap(({ labels, samples }) =>
          samples.map((sample) => ({ labels: labels.map(([l, v]) => `${l}=${v}`).join(','), ...sample })),
        )
    },
    takeWrites() {
      return writes.splice(0)
    },
  }
}
