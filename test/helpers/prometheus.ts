// Debian's `prometheus` package: promtool for linting, and real Prometheus processes (a server that scrapes the
// module, a receiver that takes remote write, an agent that sends to it), each with its own folder and port.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { launch } from './child-processes.ts'
import { freePort } from './free-port.ts'
import { skipForMissingTool } from './skip.ts'

export const PROMTOOL = '/usr/bin/promtool'
const PROMETHEUS = '/usr/bin/prometheus'
const READY_TIMEOUT_MS = 20_000
/** Enough of its log to explain a failure. */
const KEPT_LOG_CHARS = 4000
/** An agent whose receiver is already gone retries for its flush deadline (a minute) before it exits. */
const KILL_AFTER_MS = 5000

/** Why Prometheus tests cannot run here, or undefined when they can. Under CI a missing tool is a failure. */
export function prometheusUnavailable(): string | undefined {
  if (existsSync(PROMTOOL) && existsSync(PROMETHEUS)) return undefined
  return skipForMissingTool('SKIPPED: no promtool/prometheus on this machine (apt-get install prometheus)')
}

/** Runs promtool with `args` and `input` on stdin: exit code and what it printed. */
export async function promtool(
  args: readonly string[],
  input = '',
): Promise<{ code: number | null; output: string }> {
  const child = spawn(PROMTOOL, args, { stdio: ['pipe', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  child.stdin.end(input)
  const [code] = await once(child, 'close')
  return { code: code as number | null, output }
}

/** Runs `promtool check metrics` on an exposition: exit code and what it printed. */
export const promtoolCheck = (exposition: string): Promise<{ code: number | null; output: string }> =>
  promtool(['check', 'metrics'], exposition)

/** A Prometheus process listening on loopback. */
export interface PrometheusProcess {
  readonly url: string
  /** The last of what it logged, to explain a failure. */
  readonly log: () => string
  /** SIGTERM, SIGKILL if it is still there 5 s later; its folder stays, for `resume`: an outage of the receiver. */
  pause(): Promise<void>
  /** Starts it again on the same folder and port, and resolves once `/-/ready` answers. */
  resume(): Promise<void>
  /** Stops it as `pause` does; then its folder is removed. */
  stop(): Promise<void>
}

/** A Prometheus server, whose storage answers queries (an agent's does not). */
export interface PrometheusServer extends PrometheusProcess {
  /** An instant query through the HTTP API: the result vector. */
  query(promql: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>
  /** The raw samples of `selector` over the last `seconds`: timestamps (ms) and values, per series. */
  samples(
    selector: string,
    seconds: number,
  ): Promise<{ metric: Record<string, string>; values: [number, string][] }[]>
}

export interface PrometheusOptions {
  /** The configuration file's text. */
  readonly config: string
  /** A server keeps a TSDB; an agent only the write-ahead log of what it has still to send. */
  readonly storage: 'tsdb' | 'agent'
  /** Further flags, such as `--enable-feature=agent`. */
  readonly flags?: readonly string[]
  /** Variables besides PATH and HOME; nothing else of the test's environment reaches `${...}` expansion. */
  readonly env?: Record<string, string>
}

/**
 * Starts Prometheus with its own folder on a free loopback port, and resolves once `/-/ready` answers.
 * @example const agent = await launchPrometheus({ config, storage: 'agent', flags: ['--enable-feature=agent'] })
 */
export async function launchPrometheus({
  config,
  storage,
  flags = [],
  env = {},
}: PrometheusOptions): Promise<PrometheusProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'prometheus-'))
  const port = await freePort()
  await writeFile(join(dir, 'prometheus.yml'), config)
  const url = `http://127.0.0.1:${port}`
  let log = ''
  let stopRunning = async () => {}

  const start = async () => {
    const child = launch(
      [
        PROMETHEUS,
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.${storage}.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        ...flags,
      ],
      env,
    )
    child.stderr?.on('data', (chunk: Buffer) => {
      log = (log + chunk.toString()).slice(-KEPT_LOG_CHARS)
    })
    const exited = once(child, 'close')
    const running = () => child.exitCode === null && child.signalCode === null
    stopRunning = async () => {
      if (!running()) return
      const killer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS)
      child.kill('SIGTERM')
      await exited
      clearTimeout(killer)
    }
    const deadline = performance.now() + READY_TIMEOUT_MS
    while (
      !(await fetch(`${url}/-/ready`).then(
        (response) => response.ok,
        () => false,
      ))
    ) {
      if (!running() || performance.now() > deadline) {
        const what = running() ? `was not ready within ${READY_TIMEOUT_MS} ms` : 'exited before it was ready'
        await stop()
        throw new Error(`prometheus ${what}:\n${log}`)
      }
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
  const stop = async () => {
    await stopRunning()
    await rm(dir, { recursive: true, force: true })
  }
  await start()
  return { url, log: () => log, pause: () => stopRunning(), resume: start, stop }
}

const queryable = (prometheus: PrometheusProcess): PrometheusServer => ({
  ...prometheus,
  async query(promql) {
    const response = await fetch(`${prometheus.url}/api/v1/query?query=${encodeURIComponent(promql)}`)
    const body = (await response.json()) as { data: { result: [] } }
    return body.data.result
  },
  async samples(selector, seconds) {
    const response = await fetch(
      `${prometheus.url}/api/v1/query?query=${encodeURIComponent(`${selector}[${seconds}s]`)}`,
    )
    const body = (await response.json()) as { data: { result: [] } }
    return body.data.result
  },
})

/** Starts Prometheus on loopback, scraping `target` every second with the given bearer token. */
export async function startPrometheus(
  target: URL,
  metricsPath: string,
  token: string,
): Promise<PrometheusServer> {
  const config = `global:
  scrape_interval: 1s
  scrape_timeout: 900ms
scrape_configs:
  - job_name: meshstack
    metrics_path: ${metricsPath}
    authorization:
      credentials: ${token}
    static_configs:
      - targets: ['${target.host}']
`
  return queryable(await launchPrometheus({ config, storage: 'tsdb' }))
}

/** A Prometheus server that scrapes nothing and takes remote write 1.0 at `writeUrl`. */
export interface RemoteWriteReceiver extends PrometheusServer {
  readonly writeUrl: string
}

/** Starts a Prometheus server that scrapes nothing and takes remote write 1.0 at `writeUrl`. */
export async function startRemoteWriteReceiver(): Promise<RemoteWriteReceiver> {
  const receiver = queryable(
    await launchPrometheus({ config: '', storage: 'tsdb', flags: ['--web.enable-remote-write-receiver'] }),
  )
  return { ...receiver, writeUrl: `${receiver.url}/api/v1/write` }
}
