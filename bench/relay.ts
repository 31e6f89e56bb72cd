// Relay throughput and added latency against nginx (issue 5), in one run:
//  1. throughput: requests/s of `POST /api/event` (a plausible-tracker pageview) through nginx configured as in
//     Plausible's proxy guide (as written, and with keep-alive to the upstream) and through the relay on Deno, Bun
//     and Node, all in front of the same fake upstream,
//     under the same closed-loop load (wrk, 1 thread, 32 connections);
//  2. added latency: p50 and p99 through each proxy at a moderate load (8 connections, each waiting 4-12 ms
//     between requests, about 1000 req/s), minus p50 and p99 of the same load sent straight to the upstream.
//  3. efficiency: the CPU time (user + system, from /proc) the proxy process spends per event in a throughput run and
//     the drain after it; for nginx, its master and worker together.
// Each target is warmed up first; then come the latency rounds, then the throughput rounds. Within each, the order
// of the targets rotates each round, and medians are taken.
// The relay answers 202 before forwarding (nginx waits for the upstream): after each relay run the script waits for
// its queue to drain, so the forwarding is done (and paid for) before the next target runs; "delivered" divides the
// events answered by the run's time plus that drain, and the relay's own counters say what was forwarded.
// Needs wrk (`apt-get install -y wrk`) and nginx (`/usr/sbin/nginx`). Node's relay runs dist/, built first.
// Run: node --import tsx bench/relay.ts
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { once } from 'node:events'
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort } from '../test/helpers/free-port.ts'
import { PATH_WITH_LOCAL_BINS, PROJECT_ROOT } from '../test/helpers/project.ts'
import { RUNTIMES } from '../test/helpers/runtimes.ts'

const ROUNDS = 3
const WARMUP_S = 1
const THROUGHPUT = { connections: 32, seconds: 4 }
const LATENCY = { connections: 8, seconds: 3, minDelayMs: 4, maxDelayMs: 12 }
const RATE_LIMIT = 1_000_000 // the highest the relay accepts; every client here is 127.0.0.1
const NGINX = '/usr/sbin/nginx'
const USER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36'
const EVENT = JSON.stringify({
  n: 'pageview',
  u: 'https://meshpanel.example.com/dashboard',
  d: 'meshpanel.example.com',
  r: null,
  w: 1280,
  h: 0,
})

/** What wrk's `done` hook prints: counts, and latencies in microseconds. */
interface WrkResult {
  readonly requests: number
  readonly durationUs: number
  /** Responses with status >= 400 (overflow, rate limit, bad gateway...). */
  readonly status: number
  /** Connect, read, write and timeout errors. */
  readonly socket: number
  readonly p50: number
  readonly p99: number
}

interface Target {
  readonly name: string
  readonly url: string
  /** For relays: the Prometheus exposition, to follow the queue and the forwarded events. */
  readonly metricsUrl?: string
  /** The process that does the proxying (for nginx its master, whose worker is counted with it). */
  readonly pid: number
}

/** CPU time (user + system, ms) used so far by a process and its running children (nginx's worker). Linux only. */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ') // fields from the 3rd (state) on
  const ticks = Number(fields[11]) + Number(fields[12]) // utime and stime, in 1/100 s
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean)
  return ticks * 10 + children.reduce((sum, child) => sum + cpuMs(Number(child)), 0)
}

// ---------------------------------------------------------------------------------------------------------------
// The fake upstream, in its own process (`--upstream PORT`): Plausible's answer to an accepted event, `202 ok`.
// `GET /count` tells how many events it received.

function runUpstream(port: number): void {
  let received = 0
  const server = createServer((request, response) => {
    if (request.method === 'GET' && request.url === '/count') {
      response.end(String(received))
      return
    }
    request.resume()
    request.on('end', () => {
      if (request.method === 'POST' && request.url === '/api/event') received++
      response.writeHead(202, { 'content-type': 'text/plain; charset=utf-8', 'content-length': '2' })
      response.end('ok')
    })
  })
  server.keepAliveTimeout = 60_000
  server.listen(port, '127.0.0.1', () => console.log('ready'))
  process.on('SIGTERM', () => process.exit(0))
}

// ---------------------------------------------------------------------------------------------------------------
// Processes: every child is tracked and killed at the end, whatever happens.

const children: ChildProcess[] = []

function launch(command: string, args: readonly string[], env: Record<string, string> = {}): ChildProcess {
  const child = spawn(command, args, {
    cwd: PROJECT_ROOT,
    env: { PATH: PATH_WITH_LOCAL_BINS, HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000)
  })
  child.on('exit', (code, signal) => {
    if (!stopping) console.error(`${command} exited early (${code ?? signal}):\n${stderr}`)
  })
  return child
}

let stopping = false

async function stopAll(): Promise<void> {
  stopping = true
  await Promise.all(
    children
      .filter((child) => child.exitCode === null && child.signalCode === null)
      .map(async (child) => {
        const killer = setTimeout(() => child.kill('SIGKILL'), 3000)
        child.kill('SIGTERM')
        await once(child, 'exit')
        clearTimeout(killer)
      }),
  )
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const POST_EVENT: RequestInit = {
  method: 'POST',
  headers: { 'content-type': 'text/plain', 'user-agent': USER_AGENT },
  body: EVENT,
}

/** Polls `url` until it answers 2xx; gives up after `timeoutMs`. */
async function waitForHttp(url: string, init: RequestInit = {}, timeoutMs = 20_000): Promise<void> {
  const until = performance.now() + timeoutMs
  while (performance.now() < until) {
    try {
      const response = await fetch(url, init)
      await response.arrayBuffer()
      if (response.ok) return
    } catch {
      // not listening yet
    }
    await sleep(50)
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`)
}

// ---------------------------------------------------------------------------------------------------------------
// nginx as in Plausible's proxy guide (NGINX row of /work/shared/reference/plausible.md §3), one worker, no access
// log, in two variants:
// - "nginx": with keep-alive connections to the upstream (`upstream` block with `keepalive 16`, plus the
//   `Connection ""` that keep-alive needs besides HTTP/1.1), which the guide does not have. It is the stronger
//   baseline, since the relay keeps its connections open too, and the one the ratios are taken against;
// - "nginx, guide as written": `proxy_pass` straight to the URL, so every event opens a new upstream connection.

function nginxConfig(dir: string, port: number, upstreamPort: number, keepAlive: boolean): string {
  const upstream = keepAlive
    ? `upstream plausible {
    server 127.0.0.1:${upstreamPort};
    keepalive 16;
  }`
    : ''
  return `worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  ${upstream}
  server {
    listen 127.0.0.1:${port};
    location = /api/event {
      proxy_pass http://${keepAlive ? 'plausible' : `127.0.0.1:${upstreamPort}`}/api/event;
      proxy_set_header Host 127.0.0.1:${upstreamPort};
      proxy_buffering on;
      proxy_http_version 1.1;
      ${keepAlive ? 'proxy_set_header Connection "";' : ''}
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-Host $host;
    }
  }
}
`
}

// ---------------------------------------------------------------------------------------------------------------
// Load: wrk with a Lua script that posts the event as plausible-tracker does and prints its summary as JSON.

function wrkScript(paced: boolean): string {
  return `wrk.method = "POST"
wrk.body = ${JSON.stringify(EVENT)}
wrk.headers["Content-Type"] = "text/plain"
wrk.headers["User-Agent"] = ${JSON.stringify(USER_AGENT)}
${paced ? `function delay() return math.random(${LATENCY.minDelayMs}, ${LATENCY.maxDelayMs}) end` : ''}
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRK {"requests":%d,"durationUs":%d,"status":%d,"socket":%d,"p50":%d,"p99":%d}\\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
`
}

async function wrk(script: string, url: string, connections: number, seconds: number): Promise<WrkResult> {
  const child = spawn(
    'wrk',
    ['-t1', `-c${connections}`, `-d${seconds}s`, '--timeout', '2s', '-s', script, `${url}/api/event`],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  )
  children.push(child)
  const killer = setTimeout(() => child.kill('SIGKILL'), (seconds + 10) * 1000)
  let stdout = ''
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString()
  })
  await once(child, 'close')
  clearTimeout(killer)
  const line = stdout.split('\n').find((text) => text.startsWith('WRK '))
  if (line === undefined) throw new Error(`wrk printed no summary:\n${stdout}`)
  return JSON.parse(line.slice(4)) as WrkResult
}

const goodPerSecond = (run: WrkResult) => (run.requests - run.status) / (run.durationUs / 1_000_000)

// ---------------------------------------------------------------------------------------------------------------
// Relay bookkeeping, from its own metrics and the upstream's count.

async function relayCounters(metricsUrl: string): Promise<{ depth: number; outcomes: Map<string, number> }> {
  const text = await (await fetch(metricsUrl)).text()
  const outcomes = new Map<string, number>()
  let depth = Number.NaN
  for (const line of text.split('\n')) {
    const event = /^meshstack_relay_events_total\{outcome="([a-z_]+)"\} (\S+)$/.exec(line)
    if (event?.[1] !== undefined) outcomes.set(event[1], Number(event[2]))
    const queue = /^meshstack_relay_queue_depth (\S+)$/.exec(line)
    if (queue?.[1] !== undefined) depth = Number(queue[1])
  }
  return { depth, outcomes }
}

/** Waits until the relay has no event left to forward; returns how long that took (ms), or NaN if it did not. */
async function drain(metricsUrl: string, timeoutMs = 60_000): Promise<number> {
  const started = performance.now()
  while (performance.now() - started < timeoutMs) {
    if ((await relayCounters(metricsUrl)).depth === 0) return performance.now() - started
    await sleep(100)
  }
  return Number.NaN
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2
}

// ---------------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: PROJECT_ROOT, stdio: 'inherit' })
  const dir = mkdtempSync(join(tmpdir(), 'bench-relay-'))
  chmodSync(dir, 0o755) // nginx's worker may run as another user
  const throughputScript = join(dir, 'throughput.lua')
  const latencyScript = join(dir, 'latency.lua')
  writeFileSync(throughputScript, wrkScript(false))
  writeFileSync(latencyScript, wrkScript(true))
  try {
    const upstreamPort = await freePort()
    const upstream = launch(process.execPath, [
      '--import',
      'tsx',
      fileURLToPath(import.meta.url),
      '--upstream',
      String(upstreamPort),
    ])
    const upstreamUrl = `http://127.0.0.1:${upstreamPort}`
    await waitForHttp(`${upstreamUrl}/count`)
    const upstreamCount = async () => Number(await (await fetch(`${upstreamUrl}/count`)).text())

    const startNginx = async (name: string, keepAlive: boolean): Promise<Target> => {
      const prefix = join(dir, keepAlive ? 'nginx' : 'nginx-guide')
      mkdirSync(prefix)
      const port = await freePort()
      writeFileSync(join(prefix, 'nginx.conf'), nginxConfig(prefix, port, upstreamPort, keepAlive))
      const nginx = launch(NGINX, [
        ...['-p', `${prefix}/`, '-e', join(prefix, 'error.log'), '-c', join(prefix, 'nginx.conf')],
        ...['-g', 'daemon off;'],
      ])
      return { name, url: `http://127.0.0.1:${port}`, pid: nginx.pid ?? 0 }
    }

    const targets: Target[] = [
      { name: 'upstream (direct)', url: upstreamUrl, pid: upstream.pid ?? 0 },
      await startNginx('nginx', true),
      await startNginx('nginx, guide as written', false),
    ]
    const commands = new Map<string, string>()
    for (const name of ['deno', 'bun', 'node'] as const) {
      const runtime = RUNTIMES.find((candidate) => candidate.name === name)
      const [command = '', ...args] = runtime?.standalone ?? []
      const port = await freePort()
      const relay = launch(command, args, {
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'silent',
        PLAUSIBLE_ENABLED: 'true',
        PLAUSIBLE_URL: upstreamUrl,
        PLAUSIBLE_DOMAIN: 'meshpanel.example.com',
        PLAUSIBLE_RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT),
        PLAUSIBLE_RATE_LIMIT_BURST: String(RATE_LIMIT),
        PLAUSIBLE_QUEUE_SIZE: '100000',
      })
      const url = `http://127.0.0.1:${port}`
      targets.push({
        name: `relay on ${name}`,
        url,
        metricsUrl: `${url}/actuator/prometheus`,
        pid: relay.pid ?? 0,
      })
      commands.set(`relay on ${name}`, [command, ...args].join(' '))
    }
    // Ready once it accepts an event (nginx answers nothing else); this first event is counted below.
    for (const target of targets) {
      await waitForHttp(`${target.url}/api/event`, POST_EVENT)
      if (target.metricsUrl !== undefined) await drain(target.metricsUrl)
    }

    const throughput = new Map<string, WrkResult[]>(targets.map((target) => [target.name, []]))
    const latency = new Map<string, WrkResult[]>(targets.map((target) => [target.name, []]))
    const accepted = new Map<string, number>(targets.map((target) => [target.name, 1]))
    const reachedUpstream = new Map<string, number>(targets.map((target) => [target.name, 1]))
    const drains = new Map<string, number[]>(targets.map((target) => [target.name, []]))
    /** CPU time of the proxy per event it answered in a throughput run, the drain that follows included (µs). */
    const cpuPerEvent = new Map<string, number[]>(targets.map((target) => [target.name, []]))

    const measure = async (target: Target, kind: 'warm-up' | 'throughput' | 'latency') => {
      const before = await upstreamCount()
      const cpuBefore = cpuMs(target.pid)
      const run =
        kind === 'latency'
          ? await wrk(latencyScript, target.url, LATENCY.connections, LATENCY.seconds)
          : await wrk(
              throughputScript,
              target.url,
              THROUGHPUT.connections,
              kind === 'warm-up' ? WARMUP_S : THROUGHPUT.seconds,
            )
      if (target.metricsUrl !== undefined) {
        const drainMs = await drain(target.metricsUrl)
        if (kind === 'throughput') drains.get(target.name)?.push(drainMs)
      }
      if (kind === 'throughput')
        cpuPerEvent
          .get(target.name)
          ?.push(((cpuMs(target.pid) - cpuBefore) * 1000) / (run.requests - run.status))
      accepted.set(target.name, (accepted.get(target.name) ?? 0) + run.requests - run.status)
      reachedUpstream.set(
        target.name,
        (reachedUpstream.get(target.name) ?? 0) + (await upstreamCount()) - before,
      )
      if (kind !== 'warm-up') (kind === 'latency' ? latency : throughput).get(target.name)?.push(run)
      console.error(
        `${target.name.padEnd(24)} ${kind.padEnd(10)} ${goodPerSecond(run).toFixed(0).padStart(6)} req/s  p50 ${(run.p50 / 1000).toFixed(3)} ms  p99 ${(run.p99 / 1000).toFixed(3)} ms  >=400: ${run.status}  socket errors: ${run.socket}`,
      )
    }

    for (const target of targets) await measure(target, 'warm-up')
    // Latency first, in rounds of its own: a latency run right after a saturating throughput run also measured the
    // aftermath of that run (Bun's p99 at the paced load: 1.1 to 1.4 ms on a fresh process, up to 2.9 ms in
    // rounds that followed a throughput run).
    const rotated = (round: number) =>
      targets.map((_, index) => targets[(index + round) % targets.length]).filter((t) => t !== undefined)
    for (const kind of ['latency', 'throughput'] as const) {
      for (let round = 0; round < ROUNDS; round++) {
        for (const target of rotated(round)) await measure(target, kind)
      }
    }
    if (upstream.exitCode !== null) throw new Error('the upstream died during the run')

    // ------------------------------------------------------------------------------------------------------------
    // Report: medians over the rounds; added latency is taken per round against that round's direct run.
    const direct = targets[0]?.name ?? ''
    const nginx = targets[1]?.name ?? ''
    const guideNginx = targets[2]?.name ?? ''
    const rps = (name: string) => (throughput.get(name) ?? []).map(goodPerSecond)
    // Events delivered to the upstream per second: the relay's backlog is forwarded after wrk stops.
    const delivered = (name: string) =>
      (throughput.get(name) ?? []).map(
        (run, round) =>
          (run.requests - run.status) /
          (run.durationUs / 1_000_000 + (drains.get(name)?.[round] ?? 0) / 1000),
      )
    const versus = (reference: string, values: (name: string) => number[], name: string) =>
      values(name).map((value, round) => value / (values(reference)[round] ?? Number.NaN))
    const versusNginx = (values: (name: string) => number[], name: string) => versus(nginx, values, name)
    const added = (name: string, key: 'p50' | 'p99') =>
      (latency.get(name) ?? []).map(
        (run, round) => (run[key] - (latency.get(direct)?.[round]?.[key] ?? 0)) / 1000,
      )
    const errors = (name: string) =>
      [...(throughput.get(name) ?? []), ...(latency.get(name) ?? [])].reduce(
        (sum, run) => sum + run.status + run.socket,
        0,
      )
    const ms = (us: number) => (us / 1000).toFixed(3)

    console.log(
      `| target | answered, c=${THROUGHPUT.connections} (req/s) | vs nginx | delivered incl. drain (ev/s) | vs nginx | proxy CPU per event (µs) | p50, c=${LATENCY.connections} paced (ms) | p99 (ms) | added p50 (ms) | added p99 (ms) | errors |`,
    )
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |')
    for (const { name } of targets) {
      const runs = latency.get(name) ?? []
      const relative = name !== direct
      const cells = [
        name,
        median(rps(name)).toFixed(0),
        relative ? `${median(versusNginx(rps, name)).toFixed(2)}x` : '-',
        median(delivered(name)).toFixed(0),
        relative ? `${median(versusNginx(delivered, name)).toFixed(2)}x` : '-',
        median(cpuPerEvent.get(name) ?? []).toFixed(1),
        ms(median(runs.map((run) => run.p50))),
        ms(median(runs.map((run) => run.p99))),
        relative ? median(added(name, 'p50')).toFixed(3) : '-',
        relative ? median(added(name, 'p99')).toFixed(3) : '-',
        errors(name),
      ]
      console.log(`| ${cells.join(' | ')} |`)
    }
    console.log(
      `\npaced load: ${median((latency.get(direct) ?? []).map(goodPerSecond)).toFixed(0)} req/s straight to the upstream (median)`,
    )

    console.log(
      '\n| relay | command | 2xx counted by wrk (incl. warm-up) | forwarded (counter) | other outcomes | reached the upstream | drain after a throughput run (median) |',
    )
    console.log('| --- | --- | --- | --- | --- | --- | --- |')
    for (const target of targets) {
      if (target.metricsUrl === undefined) continue
      const { depth, outcomes } = await relayCounters(target.metricsUrl)
      const other = [...outcomes]
        .filter(([outcome, count]) => outcome !== 'forwarded' && count > 0)
        .map(([outcome, count]) => `${outcome} ${count}`)
      if (depth > 0) other.push(`${depth} still queued`)
      console.log(
        `| ${target.name} | \`${commands.get(target.name)}\` | ${accepted.get(target.name)} | ${outcomes.get('forwarded') ?? 0} | ${other.length === 0 ? 'none' : other.join(', ')} | ${reachedUpstream.get(target.name)} | ${median(drains.get(target.name) ?? []).toFixed(0)} ms |`,
      )
    }
    for (const name of [nginx, guideNginx])
      console.log(
        `\n${name}: ${accepted.get(name)} 2xx counted by wrk, ${reachedUpstream.get(name)} reached the upstream (both incl. warm-up and the readiness event).`,
      )

    const rounds = (values: number[], digits: number) =>
      values.map((value) => value.toFixed(digits)).join(' / ')
    for (const name of ['relay on deno', 'relay on bun']) {
      const ratio = median(versusNginx(rps, name))
      const p99 = median(added(name, 'p99'))
      console.log(
        `\n${name}: ${ratio.toFixed(2)}x nginx's throughput (rounds ${rounds(versusNginx(rps, name), 2)}; goal >= 0.8: ${ratio >= 0.8 ? 'met' : 'NOT met'}), ${median(versusNginx(delivered, name)).toFixed(2)}x delivered; against the guide as written ${median(versus(guideNginx, rps, name)).toFixed(2)}x answered, ${median(versus(guideNginx, delivered, name)).toFixed(2)}x delivered; added p99 ${p99.toFixed(3)} ms (rounds ${rounds(added(name, 'p99'), 3)}; goal < 2 ms: ${p99 < 2 ? 'met' : 'NOT met'})`,
      )
    }
  } finally {
    await stopAll()
    rmSync(dir, { recursive: true, force: true })
  }
}

process.once('SIGINT', () => void stopAll().finally(() => process.exit(130)))
if (process.argv[2] === '--upstream') runUpstream(Number(process.argv[3]))
else await main()
