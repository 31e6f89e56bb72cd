// The Grafana dashboard under deploy/grafana as an operator imports it: one Prometheus data source chosen at
// import, `application` and `instance` to select by, and panels that query only what docs/metrics.md lists.
// test/deploy/dashboards.test.ts runs every query against a real Prometheus scraping a running module.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { documentedSeriesNames, selectedNames } from '../helpers/documented-metrics.ts'
import { panelQueries, panelsOf, readDashboard, variableQuery } from '../helpers/grafana.ts'
import { PROJECT_ROOT } from '../helpers/project.ts'

const DASHBOARD = `${PROJECT_ROOT}deploy/grafana/meshstack-telemetry.json`
const dashboard = readDashboard(DASHBOARD)
const panels = panelsOf(dashboard)
const queries = panelQueries(dashboard)
// biome-ignore lint/suspicious/noTemplateCurlyInString: the text Grafana replaces with the chosen data source
const DATASOURCE = { type: 'prometheus', uid: '${datasource}' }

describe('the shipped Grafana dashboard', () => {
  it('imports anywhere: no database id, a stable uid, a Prometheus data source chosen as a variable', () => {
    assert.equal(dashboard.id, null)
    assert.equal(dashboard.uid, 'meshstack-telemetry')
    const [datasource] = dashboard.templating.list
    assert.deepEqual(
      { name: datasource?.name, type: datasource?.type, query: datasource?.query },
      { name: 'datasource', type: 'datasource', query: 'prometheus' },
    )
    for (const panel of panels) {
      assert.deepEqual(panel.datasource, DATASOURCE, `${panel.title}: panel data source`)
      for (const target of panel.targets ?? [])
        assert.deepEqual(target.datasource, DATASOURCE, `${panel.title} ${target.refId}: query data source`)
    }
  })

  it('selects by application and instance, each a multi-select with All, from the series of the module', () => {
    const variables = dashboard.templating.list.filter(({ type }) => type === 'query')
    assert.deepEqual(
      variables.map((variable) => ({
        name: variable.name,
        multi: variable.multi,
        includeAll: variable.includeAll,
        datasource: variable.datasource,
        query: variableQuery(variable),
      })),
      [
        {
          name: 'application',
          multi: true,
          includeAll: true,
          datasource: DATASOURCE,
          query: 'label_values(meshstack_health_status, application)',
        },
        {
          name: 'instance',
          multi: true,
          includeAll: true,
          datasource: DATASOURCE,
          query: 'label_values(meshstack_health_status{application=~"$application"}, instance)',
        },
      ],
    )
  })

  it('queries only metrics docs/metrics.md lists, every selector filtered by both variables', () => {
    const documented = documentedSeriesNames()
    assert.ok(queries.length >= 30, `${queries.length} queries`)
    for (const { panel, refId, expr } of queries) {
      const where = `${panel} ${refId}: ${expr}`
      const names = selectedNames(expr)
      assert.ok(names.length > 0, where)
      assert.deepEqual(
        names.filter((name) => !documented.has(name)),
        [],
        where,
      )
      for (const [, matchers = ''] of expr.matchAll(/\{([^}]*)\}/g)) {
        assert.match(matchers, /application=~"\$application"/, where)
        assert.match(matchers, /instance=~"\$instance"/, where)
      }
      const variables = new Set([...expr.matchAll(/\$(\w+)/g)].map(([, name]) => name))
      assert.deepEqual(
        [...variables].filter((name) => !['application', 'instance', '__rate_interval'].includes(name ?? '')),
        [],
        where,
      )
    }
  })

  it('shows what operators asked for: requests, errors, latency from the histogram and its max, health, database, meshObjects, relay, push and process', () => {
    const used = new Set(queries.flatMap(({ expr }) => selectedNames(expr)))
    for (const name of [
      'http_server_requests_seconds_count',
      'http_server_requests_seconds_bucket',
      'http_server_requests_seconds_max',
      'meshstack_health_status',
      'mysql_up',
      'db_pool_connections_active',
      'db_pool_connections_pending',
      'meshstack_workspaces',
      'meshstack_projects',
      'meshstack_tenants',
      'meshstack_relay_events_total',
      'meshstack_relay_queue_depth',
      'meshstack_remote_write_last_success_timestamp_seconds',
      'meshstack_remote_write_samples_total',
      'meshstack_remote_write_pending_batches',
      'meshstack_remote_write_retries_total',
      'process_cpu_usage',
      'process_resident_memory_bytes',
      'process_event_loop_lag_seconds',
    ])
      assert.ok(used.has(name), name)
    const quantiles = queries.flatMap(({ expr }) => {
      const match =
        /^histogram_quantile\((0\.\d+), sum by \(le\) \(rate\(http_server_requests_seconds_bucket\{/.exec(
          expr,
        )
      return match ? [match[1]] : []
    })
    assert.deepEqual(quantiles.sort(), ['0.5', '0.95', '0.99', '0.99'], 'p50, p95 and p99, and p99 as a stat')
  })

  it('lays panels out without overlap, each with a title and a description', () => {
    const ids = dashboard.panels.map((panel) => panel.id)
    assert.equal(new Set(ids).size, ids.length, 'unique panel ids')
    const boxes = dashboard.panels.map((panel) => ({ title: panel.title, ...panel.gridPos }))
    for (const [index, a] of boxes.entries()) {
      for (const b of boxes.slice(index + 1)) {
        const apart =
          (a.x ?? 0) + (a.w ?? 0) <= (b.x ?? 0) ||
          (b.x ?? 0) + (b.w ?? 0) <= (a.x ?? 0) ||
          (a.y ?? 0) + (a.h ?? 0) <= (b.y ?? 0) ||
          (b.y ?? 0) + (b.h ?? 0) <= (a.y ?? 0)
        assert.ok(apart, `${a.title} and ${b.title} overlap`)
      }
      assert.ok((a.x ?? 0) + (a.w ?? 0) <= 24, `${a.title} fits the 24 columns`)
    }
    for (const panel of panels)
      assert.ok((panel.description ?? '').length > 20, `${panel.title}: description`)
  })
})
