// The existing-engine path as the README sets it up: the module started as `npm start` starts it, Prometheus 2.42
// in agent mode with deploy/prometheus/agent.yml as shipped (only what a customer fills in replaced) and the
// README's feature flags, and a Prometheus that takes remote write in place of the vendor's central system.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { samplesOf } from '../helpers/exposition.ts'
import { freePort } from '../helpers/free-port.ts'
import { mariadbUnavailable, startThrowawayMariaDb, type ThrowawayMariaDb } from '../helpers/mariadb.ts'
import { EXAMPLE_METRICS_FILE, loadSampleSchema } from '../helpers/mesh-objects.ts'
import { buildServerBundles, PROJECT_ROOT } from '../helpers/project.ts'
import {
  launchPrometheus,
  type PrometheusProcess,
  prometheusUnavailable,
  promtool,
  type RemoteWriteReceiver,
  startRemoteWriteReceiver,
} from '../helpers/prometheus.ts'
import { RUNTIMES } from '../helpers/runtimes.ts'
import { type ServerProcess, startServer } from '../helpers/server-process.ts'
import { until } from '../helpers/until.ts'

const SHIPPED = `${PROJECT_ROOT}deploy/prometheus/agent.yml`
const TOKEN = 'scrape-token-0123456789abcdef'
const INSTALLATION = 'installation-under-test'
// The sample schema's meshWorkspace and meshPlatform identifiers: customer data that must not leave in raw form.
const CUSTOMER_IDENTIFIERS = ['acme-retail', 'acme-bank', 'empty-ws', 'aws-prod', 'azure-dev']
const ARRIVAL_TIMEOUT_MS = 30_000

/** The feature flags of the README's command line, so that the agent runs as customers are told to run it. */
function documentedFeatures(): string {
  const readme = readFileSync(`${PROJECT_ROOT}README.md`, 'utf8')
  const flag = /\bprometheus (--enable-feature=\S+)/.exec(readme)?.[1]
  if (flag === undefined) throw new Error('the README no longer runs prometheus --enable-feature=...')
  return flag
}
const FEATURES = documentedFeatures()

/**
 * The shipped file with each value a customer fills in replaced where the file has it: a failure here means the
 * file changed, not that the test quietly ran another configuration.
 */
async function filledIn(replacements: Record<string, string>): Promise<string> {
  let config = await readFile(SHIPPED, 'utf8')
  for (const [shipped, value] of Object.entries(replacements)) {
    assert.ok(config.includes(shipped), `${SHIPPED} no longer holds ${shipped}`)
    config = config.replaceAll(shipped, value)
  }
  return config
}

/** A counter of the agent's own remote-write metrics, summed over its remote write queues. */
async function agentCounter(agent: PrometheusProcess, name: string): Promise<number> {
  const exposition = await (await fetch(`${agent.url}/metrics`)).text()
  return samplesOf(exposition, name).reduce((sum, { value }) => sum + value, 0)
}

describe('a Prometheus agent with the shipped configuration', {
  skip: mariadbUnavailable() ?? prometheusUnavailable(),
}, () => {
  let db: ThrowawayMariaDb
  let module: ServerProcess
  let receiver: RemoteWriteReceiver
  const agents: PrometheusProcess[] = []
  let dir: string
  let config: string
  before(async () => {
    buildServerBundles()
    db = await startThrowawayMariaDb()
    await loadSampleSchema(db)
    const [node] = RUNTIMES
    // The label policy an installation without a pseudonym key chooses: the SQL metrics' customer labels dropped.
    module = await startServer(node?.standalone ?? [], {
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      DATABASE_URL: db.url,
      MANAGEMENT_TOKEN: TOKEN,
      METRICS_SQL_FILE: fileURLToPath(EXAMPLE_METRICS_FILE),
      METRICS_CUSTOMER_LABELS: 'drop',
    })
    await fetch(`${module.url}/version`)
    receiver = await startRemoteWriteReceiver()
    dir = await mkdtemp(join(tmpdir(), 'prometheus-agent-'))
    await writeFile(join(dir, 'management.token'), `${TOKEN}\n`)
    // Prometheus as a receiver checks no token; the file must exist all the same.
    await writeFile(join(dir, 'remote-write.token'), 'central-token-0123456789abcdef\n')
    config = await filledIn({
      '127.0.0.1:8080': new URL(module.url).host,
      'https://central-monitoring.example/api/v1/write': receiver.writeUrl,
      '/etc/prometheus/meshstack-telemetry/': `${dir}/`,
      // Prometheus spreads a target's first scrape over the interval: at 30 s the first samples could take half
      // a minute; at 1 s they take the agent's start and one batch.
      'scrape_interval: 30s': 'scrape_interval: 1s',
    })
    await writeFile(join(dir, 'agent.yml'), config)
  })
  after(async () => {
    // Agents first: one whose receiver is gone keeps retrying its last batch before it exits.
    await Promise.all(agents.map((agent) => agent.stop()))
    await receiver?.stop()
    await module?.stop()
    await db?.dispose()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('passes promtool check config --agent: as shipped for its syntax, in full once the token files exist', async () => {
    const syntax = await promtool(['check', 'config', '--agent', '--syntax-only', SHIPPED])
    assert.equal(syntax.code, 0, syntax.output)
    const full = await promtool(['check', 'config', '--agent', join(dir, 'agent.yml')])
    assert.equal(full.code, 0, full.output)
  })

  it("delivers the module's series to the central system with the installation and instance labels", async (t) => {
    const started = performance.now()
    const agent = await launchPrometheus({
      config,
      storage: 'agent',
      flags: [FEATURES],
      env: { METRICS_INSTALLATION_ID: INSTALLATION },
    })
    agents.push(agent)
    const arrived = (promql: string, series: number) =>
      until(
        async () => (await receiver.query(promql)).length === series,
        ARRIVAL_TIMEOUT_MS,
        () => `${promql} in the receiver; the agent logged:\n${agent.log()}`,
      )
    const labels = `job="meshstack-telemetry",installation="${INSTALLATION}",instance="${new URL(module.url).host}"`
    await arrived(`up{${labels}} == 1`, 1)
    t.diagnostic(
      `first samples in the receiver ${Math.round(performance.now() - started)} ms after the agent started`,
    )
    await arrived(`process_cpu_seconds_total{${labels}}`, 1)
    await arrived(`http_server_requests_seconds_count{${labels},uri="/version",status="200"}`, 1)
    // The policy dropped the workspace and platform labels: series that differed only in them arrive summed.
    await arrived(`meshstack_projects{${labels}} == 3`, 1)
    await arrived(`meshstack_tenants{${labels},platform_type="aws"} == 3`, 1)

    const response = await fetch(
      `${receiver.url}/api/v1/series?match[]=${encodeURIComponent(`{installation="${INSTALLATION}"}`)}`,
    )
    const series = ((await response.json()) as { data: Record<string, string>[] }).data
    const values = series.flatMap((labelSet) => Object.values(labelSet))
    assert.deepEqual(
      CUSTOMER_IDENTIFIERS.filter((identifier) => values.some((value) => value.includes(identifier))),
      [],
      'no customer identifier in any label',
    )
    assert.deepEqual(
      series.filter((labelSet) => 'workspace' in labelSet || 'platform' in labelSet),
      [],
      'no workspace or platform label at all',
    )
  })

  // An agent that cannot name its installation must not send series the central system cannot attribute.
  const unattributable = {
    'without METRICS_INSTALLATION_ID': { flags: [FEATURES], env: {} },
    'without expand-external-labels': {
      flags: ['--enable-feature=agent'],
      env: { METRICS_INSTALLATION_ID: INSTALLATION },
    },
  }
  for (const [how, { flags, env }] of Object.entries(unattributable)) {
    it(`sends nothing when started ${how}`, async () => {
      const agent = await launchPrometheus({ config, storage: 'agent', flags, env })
      agents.push(agent)
      await until(
        async () => (await agentCounter(agent, 'prometheus_remote_storage_samples_dropped_total')) > 0,
        ARRIVAL_TIMEOUT_MS,
        () => `the agent dropping what it read; it logged:\n${agent.log()}`,
      )
      assert.equal(await agentCounter(agent, 'prometheus_remote_storage_samples_total'), 0)
      assert.deepEqual(
        await receiver.query(`up{job="meshstack-telemetry",installation!="${INSTALLATION}"}`),
        [],
      )
    })
  }
})
