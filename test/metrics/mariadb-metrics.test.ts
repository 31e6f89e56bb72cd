import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { createTelemetryApp, type TelemetryApp } from '../../src/mod.ts'
import { mariadbUnavailable, startThrowawayMariaDb, type ThrowawayMariaDb } from '../helpers/mariadb.ts'
import { exampleSqlMetrics, loadSampleSchema } from '../helpers/mesh-objects.ts'

const KEY = 'installation-secret-0123456789abcdef'
const skip = mariadbUnavailable()
const pseudonym = (value: string) => createHmac('sha256', KEY).update(value).digest('hex').slice(0, 16)
const linesOf = (text: string, name: string) =>
  text.split('\n').filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))

async function scrapeUntil(app: TelemetryApp, done: (text: string) => boolean): Promise<string> {
  const deadline = performance.now() + 5000
  for (;;) {
    const text = await (await app.request('/actuator/prometheus')).text()
    if (done(text)) return text
    assert.ok(performance.now() < deadline, `condition not met within 5 s:\n${text}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

describe('database and meshObject metrics against a real MariaDB', { skip }, () => {
  let db: ThrowawayMariaDb
  let app: TelemetryApp
  before(async () => {
    db = await startThrowawayMariaDb()
    await loadSampleSchema(db)
    app = createTelemetryApp({
      logLevel: 'silent',
      database: { url: db.url },
      health: { timeoutMs: 1000 },
      metrics: { sql: await exampleSqlMetrics(), pseudonymKey: KEY },
    })
    app.lifecycle.ready()
  })
  after(async () => {
    await app?.lifecycle.close()
    await db?.dispose()
  })

  it('counts meshWorkspaces, meshProjects per meshWorkspace and meshTenants per meshPlatform, pseudonymized', async () => {
    const text = await scrapeUntil(app, (body) => body.includes('meshstack_tenants{'))
    assert.deepEqual(linesOf(text, 'meshstack_workspaces'), [
      'meshstack_workspaces{application="meshpanel"} 3',
    ])
    assert.deepEqual(
      linesOf(text, 'meshstack_projects').sort(),
      [
        `meshstack_projects{application="meshpanel",workspace="${pseudonym('acme-bank')}"} 1`,
        `meshstack_projects{application="meshpanel",workspace="${pseudonym('acme-retail')}"} 2`,
        `meshstack_projects{application="meshpanel",workspace="${pseudonym('empty-ws')}"} 0`,
      ].sort(),
    )
    assert.deepEqual(
      linesOf(text, 'meshstack_tenants').sort(),
      [
        `meshstack_tenants{application="meshpanel",platform="${pseudonym('aws-prod')}",platform_type="aws"} 3`,
        `meshstack_tenants{application="meshpanel",platform="${pseudonym('azure-dev')}",platform_type="azure"} 1`,
      ].sort(),
    )
    assert.ok(
      !/acme|aws-prod|azure-dev/.test(text.replace(/platform_type="\w+"/g, '')),
      'no raw identifier leaves',
    )
    assert.match(
      text,
      /meshstack_telemetry_sql_query_success\{application="meshpanel",metric="meshstack_projects"\} 1/,
    )
  })

  it('reports mysql_up, pool connections and server status values, the ones that only grow as counters', async () => {
    await app.request('/actuator/health')
    const text = await (await app.request('/actuator/prometheus')).text()
    for (const counter of [
      'mysql_global_status_questions_total',
      'mysql_global_status_slow_queries_total',
      'db_pool_connections_rejected_total',
    ])
      assert.match(text, new RegExp(`^# TYPE ${counter} counter$`, 'm'))
    const openMetrics = await (
      await app.request('/actuator/prometheus', { headers: { accept: 'application/openmetrics-text' } })
    ).text()
    assert.match(openMetrics, /^# TYPE mysql_global_status_questions counter$/m)
    assert.match(openMetrics, /^mysql_global_status_questions_total\{application="meshpanel"\} \d+$/m)
    assert.deepEqual(linesOf(text, 'mysql_up'), ['mysql_up{application="meshpanel"} 1'])
    for (const name of [
      'mysql_global_status_threads_connected',
      'mysql_global_status_threads_running',
      'mysql_global_status_slow_queries_total',
      'mysql_global_status_questions_total',
      'db_pool_connections_active',
      'db_pool_connections_idle',
      'db_pool_connections_pending',
      'db_pool_connections_rejected_total',
      'db_validation_query_duration_seconds',
    ]) {
      assert.equal(linesOf(text, name).length, 1, name)
    }
  })

  it('never makes a scrape wait on a slow metric query, and keeps serving the last result', async () => {
    const slow = createTelemetryApp({
      logLevel: 'silent',
      database: { url: db.url },
      metrics: {
        customerLabels: 'drop',
        sql: [
          {
            name: 'meshstack_slow_value',
            help: 'A query that takes 3 s.',
            query: 'SELECT SLEEP(3) AS pause, 7 AS value',
            value: 'value',
            timeoutMs: 10_000,
          },
        ],
      },
    })
    slow.lifecycle.ready()
    try {
      const started = performance.now()
      const text = await (await slow.request('/actuator/prometheus')).text()
      assert.ok(performance.now() - started < 1000, `scrape took ${performance.now() - started} ms`)
      assert.deepEqual(linesOf(text, 'meshstack_slow_value'), [], 'no result yet, rather than a wait')
      const later = await scrapeUntil(slow, (body) =>
        body.includes('meshstack_slow_value{application="meshpanel"} 7'),
      )
      assert.match(
        later,
        /meshstack_telemetry_sql_query_duration_seconds\{application="meshpanel",metric="meshstack_slow_value"\} (3|2\.9)/,
      )
    } finally {
      await slow.lifecycle.close()
    }
  })

  it('reports mysql_up 0 while MariaDB is stopped, without failing the scrape', async () => {
    await db.stop()
    try {
      const response = await app.request('/actuator/prometheus')
      assert.equal(response.status, 200)
      const text = await response.text()
      assert.deepEqual(linesOf(text, 'mysql_up'), ['mysql_up{application="meshpanel"} 0'])
      assert.match(
        text,
        /meshstack_telemetry_collector_success\{application="meshpanel",collector="database"\} 1/,
      )
      assert.match(
        text,
        /meshstack_workspaces\{application="meshpanel"\} 3/,
        'the last meshObject counts are still served',
      )
    } finally {
      await db.start()
    }
  })
})
