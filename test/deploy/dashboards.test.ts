// The operations pack against the real thing: the module started as `npm start` starts it, with MariaDB and the
// example SQL metrics, the relay sending to the fake Plausible and the push sending to a fake receiver, under a
// little traffic (a 404, a 503, relay events, a retried send and a retried push); a Prometheus 2.42 scrapes it
// with the shipped alert rules loaded. Then every panel query of the shipped Grafana dashboard, and the HTTP panels
// of the community dashboard Spring operators import ("Spring Boot 2.1 System Monitor"), must return data, with
// their variables filled as Grafana fills them.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { type FakePlausible, startFakePlausible } from '../helpers/fake-plausible/server.ts'
import { freePort } from '../helpers/free-port.ts'
import {
  fillVariables,
  type GrafanaDashboard,
  labelValues,
  multiValue,
  panelQueries,
  readDashboard,
  variableQuery,
} from '../helpers/grafana.ts'
import { mariadbUnavailable, startThrowawayMariaDb, type ThrowawayMariaDb } from '../helpers/mariadb.ts'
import { EXAMPLE_METRICS_FILE, loadSampleSchema } from '../helpers/mesh-objects.ts'
import { buildServerBundles, documentedCommand, PROJECT_ROOT } from '../helpers/project.ts'
import { launchPrometheus, type PrometheusProcess, prometheusUnavailable } from '../helpers/prometheus.ts'
import { pageview, postEvent, SITE } from '../helpers/relay-server.ts'
import { type FakeReceiver, startFakeReceiver } from '../helpers/remote-write-receiver.ts'
import { type ServerProcess, startServer } from '../helpers/server-process.ts'
import { until } from '../helpers/until.ts'

const TOKEN = 'scrape-token-0123456789abcdef'
const KEY = 'installation-secret-0123456789abcdef'
const DASHBOARD = `${PROJECT_ROOT}deploy/grafana/meshstack-telemetry.json`
const ALERTS = `${PROJECT_ROOT}deploy/prometheus/alerts.yml`
// test/fixtures/grafana/README.md names its source.
const SPRING_BOOT_SYSTEM_MONITOR = `${PROJECT_ROOT}test/fixtures/grafana/spring-boot-2.1-system-monitor-http.json`
/** The job name the shipped agent configuration, ServiceMonitor and alert rules use. */
const JOB = 'meshstack-telemetry'
/** What Grafana makes of `$__rate_interval` for a 1 s scrape interval is 4 intervals at least; 1m is safe. */
const RATE_INTERVAL = '1m'
const DATA_TIMEOUT_MS = 45_000

type Sample = { metric: Record<string, string>; value: [number, string] }

describe('the operations pack against a running module scraped by Prometheus 2.42', {
  skip: mariadbUnavailable() ?? prometheusUnavailable(),
}, () => {
  let db: ThrowawayMariaDb
  let plausible: FakePlausible
  let receiver: FakeReceiver
  let server: ServerProcess
  let prometheus: PrometheusProcess
  let target: string

  /** An instant query; fails on a PromQL error rather than reading it as no data. */
  async function query(promql: string): Promise<Sample[]> {
    const url = new URL('/api/v1/query', prometheus.url)
    url.searchParams.set('query', promql)
    const body = (await (await fetch(url)).json()) as {
      status: string
      error?: string
      data: { resultType: string; result: Sample[] }
    }
    assert.equal(body.status, 'success', `${promql}: ${body.error}`)
    assert.equal(body.data.resultType, 'vector', promql)
    return body.data.result
  }

  /** Polls the queries until each returns a sample; the ones still empty at the deadline are the answer. */
  async function stillEmpty(queries: readonly { name: string; promql: string }[]): Promise<string[]> {
    const deadline = performance.now() + DATA_TIMEOUT_MS
    let empty = [...queries]
    for (;;) {
      const results = await Promise.all(
        empty.map(async (each) => ({ each, found: await query(each.promql) })),
      )
      empty = results.filter(({ found }) => found.length === 0).map(({ each }) => each)
      if (empty.length === 0 || performance.now() > deadline) break
      await new Promise((resolve) => setTimeout(resolve, 500))
    }
    return empty.map(({ name, promql }) => `${name}: ${promql}`)
  }

  const scrape = async () =>
    (
      await fetch(`${server.url}/actuator/prometheus`, { headers: { authorization: `Bearer ${TOKEN}` } })
    ).text()

  before(async () => {
    buildServerBundles()
    db = await startThrowawayMariaDb()
    await loadSampleSchema(db)
    plausible = await startFakePlausible({ domain: SITE })
    // The first event: Plausible answers 503 late, so the relay holds it (its queue of one is full), then sends
    // it again; every later event is taken.
    plausible.replyWith((_event, index) =>
      // biome-ignore lint/suspicious/noThenProperty: `then` is the fake's name for the late answer; never awaited
      index === 0 ? { delayMs: 1500, then: 'unavailable' } : 'accept',
    )
    receiver = await startFakeReceiver()
    // The first push is answered 503 and sent again.
    receiver.replyWith((index) => ({ status: index === 0 ? 503 : 204 }))
    server = await startServer(documentedCommand('package.json', 'start'), {
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      DATABASE_URL: db.url,
      MANAGEMENT_TOKEN: TOKEN,
      METRICS_SQL_FILE: fileURLToPath(EXAMPLE_METRICS_FILE),
      METRICS_PSEUDONYM_KEY: KEY,
      PLAUSIBLE_ENABLED: 'true',
      PLAUSIBLE_URL: plausible.url,
      PLAUSIBLE_DOMAIN: SITE,
      PLAUSIBLE_QUEUE_SIZE: '1',
      PLAUSIBLE_CONCURRENCY: '1',
      METRICS_REMOTE_WRITE_URL: receiver.url,
      METRICS_INSTALLATION_ID: 'operations-pack-test',
      METRICS_REMOTE_WRITE_INTERVAL_SECONDS: '1',
    })
    target = new URL(server.url).host

    for (const path of ['/version', '/api/telemetry/config', '/no/such/page', '/actuator/health'])
      await fetch(`${server.url}${path}`)
    const statuses = [(await postEvent(server.url, pageview('/a'))).status]
    statuses.push((await postEvent(server.url, pageview('/b'))).status)
    assert.deepEqual(statuses, [202, 503], 'the second event finds the queue of one full: a 5xx')
    await until(
      async () => /meshstack_relay_events_total\{[^}]*outcome="forwarded"[^}]*\} 1/.test(await scrape()),
      10_000,
      'the first event forwarded after its retry',
    )
    assert.equal((await postEvent(server.url, pageview('/c'))).status, 202)
    await until(
      () => receiver.writes.some(({ status }) => status === 204),
      10_000,
      'a push taken after the refused first one',
    )

    prometheus = await launchPrometheus({
      storage: 'tsdb',
      config: `global:
  scrape_interval: 1s
  scrape_timeout: 900ms
  evaluation_interval: 1s
rule_files:
  - ${ALERTS}
scrape_configs:
  - job_name: ${JOB}
    metrics_path: /actuator/prometheus
    authorization:
      credentials: ${TOKEN}
    static_configs:
      - targets: ['${target}']
`,
    })
  })
  after(async () => {
    await prometheus?.stop()
    await server?.stop()
    await plausible?.stop()
    await receiver?.stop()
    await db?.dispose()
  })

  it("fills the shipped dashboard's application and instance variables from Prometheus", async () => {
    const dashboard = readDashboard(DASHBOARD)
    const variable = (name: string) =>
      variableQuery(dashboard.templating.list.find((each) => each.name === name) ?? { name, type: '' })
    await until(
      async () => (await labelValues(prometheus.url, variable('application'))).includes('meshpanel'),
      DATA_TIMEOUT_MS,
      'meshpanel among the applications',
    )
    const instances = await labelValues(
      prometheus.url,
      fillVariables(variable('instance'), { application: multiValue('meshpanel') }),
    )
    assert.deepEqual(instances, [target])
  })

  it('answers every panel query of the shipped dashboard with data', async () => {
    const dashboard = readDashboard(DASHBOARD)
    // As Grafana sends them with one application and one instance chosen (multi-value: regex-escaped).
    const values = {
      application: multiValue('meshpanel'),
      instance: multiValue(target),
      __rate_interval: RATE_INTERVAL,
    }
    const queries = panelQueries(dashboard).map(({ panel, refId, expr }) => ({
      name: `${panel} ${refId}`,
      promql: fillVariables(expr, values),
    }))
    for (const { name, promql } of queries)
      assert.doesNotMatch(promql, /\$/, `${name}: every variable filled`)
    assert.deepEqual(await stillEmpty(queries), [])
  })

  it('answers the HTTP panels of "Spring Boot 2.1 System Monitor" (grafana.com 11378) with data', async () => {
    const community = JSON.parse(readFileSync(SPRING_BOOT_SYSTEM_MONITOR, 'utf8')) as GrafanaDashboard
    const [application, instance] = community.templating.list.map(variableQuery)
    assert.ok(application !== undefined && instance !== undefined)
    // Its application variable: label_values(application), every application Prometheus knows.
    assert.deepEqual(await labelValues(prometheus.url, application), ['meshpanel'])
    // Its instance variable lists the instances that have JVM class-loading metrics: a Node.js process has none,
    // so the dropdown stays empty. Operators point it at a series every runtime has (README, Operations pack).
    assert.deepEqual(
      await labelValues(prometheus.url, fillVariables(instance, { application: 'meshpanel' })),
      [],
    )
    const adjusted = instance.replace('jvm_classes_loaded_classes', 'process_uptime_seconds')
    assert.deepEqual(
      await labelValues(prometheus.url, fillVariables(adjusted, { application: 'meshpanel' })),
      [target],
    )
    // Single-value variables: Grafana writes the value as it is.
    const queries = panelQueries(community).map(({ panel, refId, expr }) => ({
      name: `${panel} ${refId}`,
      promql: fillVariables(expr, { application: 'meshpanel', instance: target }),
    }))
    const redirections = queries.filter(({ name }) => name === 'HTTP Codes D')
    assert.deepEqual(
      redirections.map(({ promql }) => promql),
      [
        `sum(rate(http_server_requests_seconds_count{application="meshpanel", instance="${target}", status=~"3.."}[1m]))`,
      ],
    )
    // The module answers no request with a redirect, so the "3xx - Redirections" line stays empty, as it does for
    // a Spring service that never redirects; every other query shows the traffic.
    assert.deepEqual(await stillEmpty(queries.filter((each) => !redirections.includes(each))), [])
    assert.deepEqual(await query(redirections[0]?.promql ?? ''), [])
  })

  it('loads the shipped alert rules, which evaluate without error on the series of the module they name', async () => {
    const shipped = (
      parse(readFileSync(ALERTS, 'utf8')) as { groups: { rules: { alert: string }[] }[] }
    ).groups[0]?.rules.map(({ alert }) => alert)
    type Rule = { name: string; health: string; lastError?: string; lastEvaluation: string }
    let rules: Rule[] = []
    await until(
      async () => {
        const body = (await (await fetch(`${prometheus.url}/api/v1/rules?type=alert`)).json()) as {
          data: { groups: { rules: Rule[] }[] }
        }
        rules = body.data.groups.flatMap((group) => group.rules)
        return rules.length > 0 && rules.every(({ lastEvaluation }) => !lastEvaluation.startsWith('0001'))
      },
      DATA_TIMEOUT_MS,
      'every rule evaluated once',
    )
    assert.deepEqual(
      rules.map(({ name }) => name),
      shipped,
    )
    assert.deepEqual(
      rules.filter(({ health, lastError }) => health !== 'ok' || lastError),
      [],
    )
    // Each metric a rule reads is among what Prometheus scraped from the module under the job the rules name.
    const names = new Set(
      [...readFileSync(ALERTS, 'utf8').matchAll(/([a-z_]+)\{job="meshstack-telemetry"/g)].map(
        ([, name]) => name,
      ),
    )
    assert.ok(names.size >= 10, [...names].join(', '))
    assert.deepEqual(
      await stillEmpty([...names].map((name) => ({ name: name ?? '', promql: `${name}{job="${JOB}"}` }))),
      [],
    )
  })
})
