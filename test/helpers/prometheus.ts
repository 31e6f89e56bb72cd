// Debian's `prometheus` package: promtool for linting, and a real server that scrapes the module.
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from './free-port.ts'
import { skipForMissingTool } from './skip.ts'

export const PROMTOOL = '/usr/bin/promtool'
const PROMETHEUS = '/usr/bin/prometheus'

/** Why Prometheus tests cannot run here, or undefined when they can. Under CI a missing tool is a failure. */
export function prometheusUnavailable(): string | undefined {
  if (existsSync(PROMTOOL) && existsSync(PROMETHEUS)) return undefined
  return skipForMissingTool('SKIPPED: no promtool/prometheus on this machine (apt-get install prometheus)')
}

/** Runs `promtool check metrics` on an exposition: exit code and what it printed. */
export async function promtoolCheck(exposition: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(PROMTOOL, ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  child.stdin.end(exposition)
  const [code] = await once(child, 'close')
  return { code: code as number | null, output }
}

export interface PrometheusServer {
  readonly url: string
  /** An instant query through the HTTP API: the result vector. */
  query(promql: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>
  stop(): Promise<void>
}

/** Starts Prometheus on loopback, scraping `target` every second with the given bearer token. */
export async function startPrometheus(
  target: URL,
  metricsPath: string,
  token: string,
): Promise<PrometheusServer> {
  const dir = await mkdtemp(join(tmpdir(), 'prometheus-'))
  const port = await freePort()
  await writeFile(
    join(dir, 'prometheus.yml'),
    `global:
  scrape_interval: 1s
  scrape_timeout: 900ms
scrape_configs:
  - job_name: meshstack
    metrics_path: ${metricsPath}
    authorization:
      credentials: ${token}
    static_configs:
      - targets: ['${target.host}']
`,
  )
  const server: ChildProcess = spawn(
    PROMETHEUS,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: 'ignore' },
  )
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 20_000
  while (
    !(await fetch(`${url}/-/ready`).then(
      (response) => response.ok,
      () => false,
    ))
  ) {
    if (server.exitCode !== null || Date.now() > deadline) throw new Error('prometheus did not become ready')
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return {
    url,
    async query(promql) {
      const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`)
      const body = (await response.json()) as { data: { result: [] } }
      return body.data.result
    },
    async stop() {
      server.kill('SIGTERM')
      await once(server, 'exit')
      await rm(dir, { recursive: true, force: true })
    },
  }
}
