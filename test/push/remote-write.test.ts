// The push to the central monitoring system, received by a real Prometheus 2.42 with its remote write receiver
// (--web.enable-remote-write-receiver): the module started as the README says on Node, Deno and Bun.
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { freePort } from '../helpers/free-port.ts'
import { mariadbUnavailable, startThrowawayMariaDb, type ThrowawayMariaDb } from '../helpers/mariadb.ts'
import { EXAMPLE_METRICS_FILE, loadSampleSchema } from '../helpers/mesh-objects.ts'
import { buildServerBundles } from '../helpers/project.ts'
import {
  prometheusUnavailable,
  type RemoteWriteReceiver,
  startRemoteWriteReceiver,
} from '../helpers/prometheus.ts'
import { RUNTIMES } from '../helpers/runtimes.ts'
import { startServer } from '../helpers/server-process.ts'
import { until } from '../helpers/until.ts'

const TOKEN = 'management-token-0123456789'
const KEY = 'installation-secret-0123456789abcdef'
const INSTALLATION = 'acme-prod'

describe('metrics pushed with remote write to a real Prometheus', {
  skip: mariadbUnavailable() ?? prometheusUnavailable(),
}, () => {
  let db: ThrowawayMariaDb
  let receiver: RemoteWriteReceiver
  before(async () => {
    buildServerBundles()
    db = await startThrowawayMariaDb()
    await loadSampleSchema(db)
    receiver = await startRemoteWriteReceiver()
  })
  after(async () => {
    await receiver?.stop()
    await db?.dispose()
  })

  for (const runtime of RUNTIMES) {
    it(`delivers CPU, HTTP and meshObject series from ${runtime.name} within two intervals, labelled with application, installation and instance`, async () => {
      const port = await freePort()
      const instance = `panel-${runtime.name}:${port}`
      const server = await startServer(runtime.standalone, {
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: db.url,
        MANAGEMENT_TOKEN: TOKEN,
        METRICS_SQL_FILE: fileURLToPath(EXAMPLE_METRICS_FILE),
        METRICS_PSEUDONYM_KEY: KEY,
        METRICS_REMOTE_WRITE_URL: receiver.writeUrl,
        METRICS_REMOTE_WRITE_INTERVAL_SECONDS: '1',
        METRICS_INSTALLATION_ID: INSTALLATION,
        METRICS_INSTANCE: instance,
      })
      try {
        await fetch(`${server.url}/version`)
        // The application label comes with the series themselves (exposure.ts), as the scrape shows them.
        const where = `application="meshpanel",installation="${INSTALLATION}",instance="${instance}"`
        const found = async (promql: string) => {
          let result: Awaited<ReturnType<typeof receiver.query>> = []
          // Two intervals, and a second for Prometheus to make the samples queryable.
          await until(
            async () => {
              result = await receiver.query(promql)
              return result.length > 0
            },
            3000,
            `${promql} is not queryable in the receiver`,
          )
          return result
        }
        await found(`process_cpu_seconds_total{${where}}`)
        await found(`http_server_requests_seconds_count{${where},uri="/version"}`)
        const projects = await found(`meshstack_projects{${where}}`)
        // The example's customer label `workspace` leaves pseudonymized, as the scrape exposes it.
        const pseudonym = createHmac('sha256', KEY).update('acme-retail').digest('hex').slice(0, 16)
        const workspaces = projects.map(({ metric }) => metric.workspace)
        assert.ok(workspaces.includes(pseudonym), `workspace labels: ${workspaces.join(', ')}`)
        assert.ok(!workspaces.includes('acme-retail'), 'no workspace name leaves')

        const preview = await fetch(`${server.url}/actuator/telemetry`, {
          headers: { authorization: `Bearer ${TOKEN}` },
        })
        const { target, lastBatch } = (await preview.json()) as {
          target: string
          lastBatch: { outcome: string; series: { labels: Record<string, string> }[] }
        }
        assert.equal(target, receiver.writeUrl)
        assert.equal(lastBatch.outcome, 'sent')
        const names = new Set(lastBatch.series.map(({ labels }) => labels.__name__))
        for (const name of [
          'process_cpu_seconds_total',
          'http_server_requests_seconds_count',
          'meshstack_projects',
        ])
          assert.ok(names.has(name), `the preview shows ${name}`)
        assert.ok(lastBatch.series.every(({ labels }) => labels.installation === INSTALLATION))
      } finally {
        await server.stop()
      }
    })
  }
})
