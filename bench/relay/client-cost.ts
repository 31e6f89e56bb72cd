// The CPU one send of the module's outbound HTTP client costs in isolation, on the runtime that runs this file: the
// part of the relay's CPU per event that forwarding takes. The client is the one the relay uses there (undici on
// Node, the runtime's `fetch` on Deno and Bun), sending what the relay sends, 16 at a time (the relay's default
// concurrency), all with one shared abort signal (the relay shares one per tenth of its timeout).
// Prints one JSON line: { runtime, client, sends, concurrency, cpuUsPerSend, sendsPerSecond }.
// Run: node --import tsx bench/relay/client-cost.ts UPSTREAM_URL [SENDS]   (SENDS: 30,000 unless given; or with
// `bun`, or `deno run --allow-net --allow-env --allow-read --allow-sys`); the upstream must answer
// `POST /api/event` with 202, as upstream.ts does.
import type { OpenHttpClient } from '../../src/runtime/http-client.ts'
import { SITE, USER_AGENT } from './event.ts'

const CONCURRENCY = 16
/** Longer than any run, as the relay's is longer than any send. */
const SHARED_TIMEOUT_MS = 600_000

const runtime = 'Deno' in globalThis ? 'deno' : 'Bun' in globalThis ? 'bun' : 'node'

/** The client the module's entry for this runtime opens. */
async function clientOfThisRuntime(): Promise<{ name: string; open: OpenHttpClient }> {
  if (runtime !== 'node') {
    const { openFetchHttpClient } = await import('../../src/adapter/shared/fetch-http-client.ts')
    return { name: 'fetch', open: openFetchHttpClient }
  }
  const { undiciHttpClients } = await import('../../src/adapter/node/undici-http-client.ts')
  const { DIRECT } = await import('../../src/config/proxy.ts')
  return { name: 'undici', open: undiciHttpClients(DIRECT) }
}

const [upstreamUrl, sends = '30000'] = process.argv.slice(2)
if (upstreamUrl === undefined)
  throw new Error('Cannot measure: no upstream URL, pass it as the first argument')
const SENDS = Number(sends)

const { name, open } = await clientOfThisRuntime()
const http = open({ connectTimeoutMs: 5000 })
const signal = AbortSignal.timeout(SHARED_TIMEOUT_MS)
// The sanitised event and the headers the relay sends for the benchmark's page view.
const request = {
  method: 'POST',
  url: `${upstreamUrl}/api/event`,
  headers: {
    'content-type': 'application/json',
    'user-agent': USER_AGENT,
    'x-forwarded-for': '127.0.0.1',
  },
  body: JSON.stringify({
    name: 'pageview',
    url: `https://${SITE}/dashboard`,
    domain: SITE,
    referrer: null,
  }),
  signal,
} as const

const send = async (): Promise<void> => {
  const { status } = await http.send(request)
  // A failed send costs less than a delivered one: counting it would flatter the client.
  if (status !== 202) throw new Error(`Cannot measure: the upstream answered ${status}, expected 202`)
}

/** `count` sends, `CONCURRENCY` at a time. */
const sendAll = async (count: number): Promise<void> => {
  let next = 0
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < count) await send()
    }),
  )
}

// Warmed up as it is measured: after 2,000 sends one at a time, Deno's first 30,000 at 16 a time cost 44 to 52 µs
// a send, the next 30,000 32 to 37.
await sendAll(SENDS)
const cpuBefore = process.cpuUsage()
const started = performance.now()
await sendAll(SENDS)
const elapsedMs = performance.now() - started
const cpu = process.cpuUsage(cpuBefore)
await http.close()

console.log(
  JSON.stringify({
    runtime,
    client: name,
    sends: SENDS,
    concurrency: CONCURRENCY,
    cpuUsPerSend: (cpu.user + cpu.system) / SENDS,
    sendsPerSecond: SENDS / (elapsedMs / 1000),
  }),
)
