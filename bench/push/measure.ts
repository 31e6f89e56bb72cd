// The module's push against a Prometheus agent doing the same job, for 1,000 and 10,000 series on this machine:
//  - the push: one push is a collection of every series, their encoding (protobuf, snappy) and the requests to a
//    receiver; CPU (process.cpuUsage of this process, which does only that) and body bytes per push, median of 15
//    after 3 warm-ups;
//  - the agent: Prometheus in agent mode (deploy/prometheus/agent.yml's job, 1 s interval) scrapes the same series
//    from /actuator/prometheus served here and remote-writes them to the same kind of receiver; its CPU
//    (/proc/<pid>/stat) and the bytes received over 20 s after 5 s of warm-up, per scrape. The module's own cost of
//    answering a scrape (median of 15 renders) is added to the agent's: it is the agent path's share in meshPanel.
// The receivers run in processes of their own. Needs Debian's prometheus.
import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { nodeServer } from '../../src/adapter/node/server.ts'
import { undiciHttpClients } from '../../src/adapter/node/undici-http-client.ts'
import { DIRECT } from '../../src/config/proxy.ts'
import { createExposure } from '../../src/metrics/exposure.ts'
import { createRegistry } from '../../src/metrics/registry.ts'
import { metricsRoutes } from '../../src/metrics/routes.ts'
import { batchCollector } from '../../src/push/batches.ts'
import { createReceiver } from '../../src/push/receiver.ts'
import { freePort } from '../../test/helpers/free-port.ts'
import { cpuMs } from '../relay/cpu.ts'
import { waitForHttp } from '../relay/wait-for-http.ts'
import { median } from '../statistics.ts'

export const PROMETHEUS = '/usr/bin/prometheus'

export interface PushSettings {
  /** Series counts, one table row each. */
  readonly series: readonly number[]
  readonly warmups: number
  /** Pushes, and renders of the scrape answer, after the warm-ups; medians are taken. */
  readonly pushes: number
  readonly agentWarmupMs: number
  readonly agentWindowMs: number
}

export const FULL: PushSettings = {
  series: [1000, 10_000],
  warmups: 3,
  pushes: 15,
  agentWarmupMs: 5000,
  agentWindowMs: 20_000,
}
/** 10,000 series only; the agent's window stays long enough for its remote-write batches (5 s deadline). */
export const QUICK: PushSettings = {
  series: [10_000],
  warmups: 1,
  pushes: 5,
  agentWarmupMs: 3000,
  agentWindowMs: 10_000,
}

/** One series count's figures: CPU in ms and bytes, per push and per scrape. */
export interface PushRow {
  readonly series: number
  readonly push: { readonly cpuMs: number; readonly bytes: number }
  readonly agent: { readonly cpuMs: number; readonly bytes: number; readonly renderMs: number }
}

export interface PushResult {
  readonly settings: PushSettings
  readonly rows: readonly PushRow[]
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const cpuNowMs = () => {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1000
}

async function startReceiver(): Promise<{
  url: string
  count(): Promise<{ requests: number; bytes: number }>
  stop(): void
}> {
  const port = await freePort()
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/push/receiver.ts', String(port)], {
    stdio: 'ignore',
  })
  const url = `http://127.0.0.1:${port}`
  await waitForHttp(`${url}/count`)
  return {
    url: `${url}/api/v1/write`,
    count: async () => (await (await fetch(`${url}/count`)).json()) as { requests: number; bytes: number },
    stop: () => child.kill(),
  }
}

/** A registry holding `series` gauge series, as an installation with that many series would. */
function sourceOf(series: number) {
  const registry = createRegistry()
  const gauge = registry.gauge({
    name: 'bench_objects',
    type: 'gauge',
    help: 'Benchmark series.',
    labels: { kind: 'operational', id: 'operational' },
    maxSeries: series,
  })
  for (let index = 0; index < series; index++)
    gauge.set({ kind: `kind-${index % 10}`, id: `object-${index}` }, index)
  return {
    registry,
    exposure: createExposure(registry, { customerLabels: 'keep', application: 'meshpanel' }),
  }
}

async function measurePush(series: number, receiverUrl: string, settings: PushSettings) {
  const { exposure } = sourceOf(series)
  const collect = batchCollector(
    exposure,
    [
      ['installation', 'bench'],
      ['instance', 'bench:0'],
    ],
    2000,
  )
  const http = undiciHttpClients(DIRECT)({ connectTimeoutMs: 10_000 })
  const receiver = createReceiver({
    url: receiverUrl,
    userAgent: 'meshstack-telemetry/bench',
    timeoutMs: 10_000,
    http,
  })
  const cpu: number[] = []
  const bytes: number[] = []
  for (let round = 0; round < settings.warmups + settings.pushes; round++) {
    const started = cpuNowMs()
    let sent = 0
    for (const batch of await collect()) {
      sent += batch.body.byteLength
      await receiver.send(batch.body)
    }
    if (round >= settings.warmups) {
      cpu.push(cpuNowMs() - started)
      bytes.push(sent)
    }
    await sleep(100)
  }
  await http.close()
  return { cpuMs: median(cpu), bytes: median(bytes) }
}

async function measureAgent(
  series: number,
  receiverUrl: string,
  count: () => Promise<{ bytes: number }>,
  settings: PushSettings,
) {
  const { registry, exposure } = sourceOf(series)
  const routes = metricsRoutes({ registry, exposure, isManager: async () => true })
  const renders: number[] = []
  for (let round = 0; round < settings.warmups + settings.pushes; round++) {
    const started = cpuNowMs()
    await (await routes.request('/actuator/prometheus')).text()
    if (round >= settings.warmups) renders.push(cpuNowMs() - started)
  }
  const server = await nodeServer.listen(routes.fetch, { port: 0, hostname: '127.0.0.1' })
  const dir = await mkdtemp(join(tmpdir(), 'bench-agent-'))
  await writeFile(
    join(dir, 'agent.yml'),
    `global:
  scrape_interval: 1s
  scrape_timeout: 900ms
  external_labels: { installation: bench }
scrape_configs:
  - job_name: meshstack-telemetry
    metrics_path: /actuator/prometheus
    static_configs: [{ targets: ['127.0.0.1:${server.port}'] }]
remote_write:
  - url: ${receiverUrl}
`,
  )
  const port = await freePort()
  const agent = spawn(
    PROMETHEUS,
    [
      '--enable-feature=agent',
      `--config.file=${join(dir, 'agent.yml')}`,
      `--storage.agent.path=${join(dir, 'wal')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: 'ignore' },
  )
  await waitForHttp(`http://127.0.0.1:${port}/-/ready`)
  await sleep(settings.agentWarmupMs)
  const [cpuBefore, bytesBefore] = [cpuMs(agent.pid as number), (await count()).bytes]
  await sleep(settings.agentWindowMs)
  const [cpuAfter, bytesAfter] = [cpuMs(agent.pid as number), (await count()).bytes]
  agent.kill()
  await server.close()
  await rm(dir, { recursive: true, force: true })
  const scrapes = settings.agentWindowMs / 1000
  return {
    cpuMs: (cpuAfter - cpuBefore) / scrapes,
    bytes: (bytesAfter - bytesBefore) / scrapes,
    renderMs: median(renders),
  }
}

/**
 * For each series count, the push and then the agent, each with a receiver of its own.
 * @example const result = await measurePushVsAgent(QUICK)
 */
export async function measurePushVsAgent(settings: PushSettings): Promise<PushResult> {
  const rows: PushRow[] = []
  for (const series of settings.series) {
    const pushReceiver = await startReceiver()
    const push = await measurePush(series, pushReceiver.url, settings)
    pushReceiver.stop()
    const agentReceiver = await startReceiver()
    const agent = await measureAgent(series, agentReceiver.url, agentReceiver.count, settings)
    agentReceiver.stop()
    rows.push({ series, push, agent })
  }
  return { settings, rows }
}
