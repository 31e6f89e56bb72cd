// The exposition as real Prometheus tooling sees it: promtool's lint, and a Prometheus 2.42 server scraping a
// running module (started as `npm start` starts it) with every collector enabled.
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { freePort } from '../helpers/free-port.ts'
import { mariadbUnavailable, startThrowawayMariaDb, type ThrowawayMariaDb } from '../helpers/mariadb.ts'
import { EXAMPLE_METRICS_FILE, loadSampleSchema } from '../helpers/mesh-objects.ts'
import { buildServerBundles, documentedCommand } from '../helpers/project.ts'
import {
  type PrometheusServer,
  prometheusUnavailable,
  promtoolCheck,
  startPrometheus,
} from '../helpers/prometheus.ts'
import { type ServerProcess, startServer } from '../helpers/server-process.ts'

const TOKEN = 'scrape-token-0123456789abcdef'
const KEY = 'installation-secret-0123456789abcdef'
const skip = mariadbUnavailable() ?? prometheusUnavailable()

describe('real Prometheus tooling against a running server', { skip }, () => {
  let db: ThrowawayMariaDb
  let server: ServerProcess
  let prometheus: PrometheusServer
  before(async () => {
    buildServerBundles()
    db = await startThrowawayMariaDb()
    await loadSampleSchema(db)
    server = await startServer(documentedCommand('package.json', 'start'), {
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      DATABASE_URL: db.url,
      MANAGEMENT_TOKEN: TOKEN,
      METRICS_SQL_FILE: fileURLToPath(EXAMPLE_METRICS_FILE),
      METRICS_PSEUDONYM_KEY: KEY,
    })
    for (const path of ['/version', '/actuator/health', '/no/such/page']) await fetch(`${server.url}${path}`)
  })
  after(async () => {
    await prometheus?.stop()
    await server?.stop()
    await db?.dispose()
  })

  it("passes promtool check metrics with every collector enabled, but for the lint on Micrometer's system_cpu_count", async () => {
    const response = await fetch(`${server.url}/actuator/prometheus`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    })
    const exposition = await response.text()
    for (const family of [
      'process_cpu_seconds_total',
      'process_cpu_usage',
      'system_cpu_count',
      'system_memory_total_bytes',
      'disk_free_bytes',
      'http_server_requests_seconds',
      'http_server_requests_seconds_max',
      'mysql_up',
      'mysql_global_status_questions_total',
      'meshstack_projects',
    ]) {
      assert.match(exposition, new RegExp(`^# TYPE ${family} `, 'm'), family)
    }
    const { code, output } = await promtoolCheck(exposition)
    // Micrometer names the processor count system_cpu_count (ProcessorMetrics: "system.cpu.count"), a gauge that
    // Spring dashboards query; promtool's lint keeps `_count` for histograms and summaries, and says so about
    // Spring Boot's exposition too. That one finding, and nothing else: exit code 3 is lint, 1 would be a parse error.
    assert.equal(
      output,
      'system_cpu_count non-histogram and non-summary metrics should not have "_count" suffix\n',
    )
    assert.equal(code, 3)
  })

  it('is scraped by Prometheus 2.42, whose query API returns the expected series', async () => {
    prometheus = await startPrometheus(new URL(server.url), '/actuator/prometheus', TOKEN)
    const deadline = performance.now() + 20_000
    const expectations = {
      'up{job="meshstack"} == 1': 1,
      'http_server_requests_seconds_count{application="meshpanel",uri="/version",status="200",outcome="SUCCESS",exception="none"}': 1,
      'http_server_requests_seconds_bucket{uri="/version",le="+Inf"}': 1,
      meshstack_workspaces: 1,
      meshstack_projects: 3,
      mysql_up: 1,
    }
    for (const [promql, series] of Object.entries(expectations)) {
      for (;;) {
        const result = await prometheus.query(promql)
        if (result.length === series) break
        assert.ok(performance.now() < deadline, `${promql}: ${JSON.stringify(result)}`)
        await new Promise((resolve) => setTimeout(resolve, 250))
      }
    }
    const projects = await prometheus.query('meshstack_projects')
    const workspaces = projects.map((sample) => sample.metric.workspace).sort()
    const expected = ['acme-bank', 'acme-retail', 'empty-ws'].map((id) =>
      createHmac('sha256', KEY).update(id).digest('hex').slice(0, 16),
    )
    assert.deepEqual(workspaces, expected.sort(), 'pseudonymized workspace labels, never the raw identifiers')
    const targets = (await (await fetch(`${prometheus.url}/api/v1/targets`)).json()) as {
      data: { activeTargets: { health: string; lastError: string }[] }
    }
    assert.deepEqual(
      targets.data.activeTargets.map(({ health, lastError }) => ({ health, lastError })),
      [{ health: 'up', lastError: '' }],
    )
  })
})
