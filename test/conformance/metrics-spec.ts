import assert from 'node:assert/strict'
import { it } from 'node:test'
import { samplesOf } from '../helpers/exposition.ts'

const OPENMETRICS_ACCEPT =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1'

const familiesOf = (text: string): string[] =>
  [...text.matchAll(/^# TYPE (\S+) /gm)].map((match) => match[1] ?? '')

/** What a server runtime exposes: every collector, as Prometheus text and OpenMetrics. */
export function metricsSpec(baseUrl: () => string, withDatabase: boolean): void {
  it('lists CPU, memory, disk, HTTP, database and meshObject metrics at /actuator/prometheus', async () => {
    await fetch(`${baseUrl()}/version`)
    const deadline = performance.now() + 5000
    let text = ''
    const expected = [
      'process_cpu_seconds_total',
      'process_cpu_usage',
      'process_resident_memory_bytes',
      'process_event_loop_lag_seconds',
      'system_cpu_usage',
      'system_cpu_count',
      'system_memory_free_bytes',
      'disk_free_bytes',
      'http_server_requests_seconds',
      'http_server_requests_seconds_max',
      ...(withDatabase
        ? ['mysql_up', 'db_pool_connections_idle', 'meshstack_workspaces', 'meshstack_projects']
        : []),
    ]
    for (;;) {
      const response = await fetch(`${baseUrl()}/actuator/prometheus`)
      assert.equal(response.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8')
      text = await response.text()
      const missing = expected.filter((name) => !familiesOf(text).includes(name))
      if (missing.length === 0) break
      assert.ok(performance.now() < deadline, `missing ${missing.join(', ')}`)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    assert.match(
      text,
      /http_server_requests_seconds_count\{application="meshpanel",error="none",exception="none",method="GET",outcome="SUCCESS",status="200",uri="\/version"\} \d+/,
    )
    const counted = samplesOf(
      await (await fetch(`${baseUrl()}/actuator/prometheus`)).text(),
      'http_server_requests_seconds_count',
    )
    assert.ok(
      counted.some(({ labels }) => labels.uri === '/actuator/prometheus' && labels.status === '200'),
      'the scrapes before are counted',
    )
    assert.deepEqual(
      counted.filter(({ labels }) => !/^[1-5]\d\d$/.test(labels.status ?? '')),
      [],
      'every status label is the code that was answered',
    )
    const [cpuUsage] = samplesOf(text, 'process_cpu_usage')
    assert.ok(cpuUsage && cpuUsage.value >= 0 && cpuUsage.value <= 1, `process_cpu_usage ${cpuUsage?.value}`)
    assert.doesNotMatch(
      text,
      /collector_success\{application="meshpanel",collector="\w+"\} 0/,
      'every collector works on this runtime',
    )
  })

  it('answers OpenMetrics to the Accept header Prometheus sends', async () => {
    const response = await fetch(`${baseUrl()}/actuator/prometheus`, {
      headers: { accept: OPENMETRICS_ACCEPT },
    })
    assert.equal(
      response.headers.get('content-type'),
      'application/openmetrics-text; version=1.0.0; charset=utf-8',
    )
    assert.match(await response.text(), /^# TYPE process_cpu_seconds counter$[\s\S]*\n# EOF\n$/m)
  })
}

/** An edge runtime has no OS probes and no database: those metrics are absent, never zero. */
export function edgeMetricsSpec(baseUrl: () => string): void {
  it('answers /actuator/prometheus with HTTP metrics and no OS or database metrics', async () => {
    await fetch(`${baseUrl()}/version`)
    const text = await (await fetch(`${baseUrl()}/actuator/prometheus`)).text()
    const families = familiesOf(text)
    assert.ok(families.includes('http_server_requests_seconds'), families.join())
    assert.deepEqual(
      families.filter((name) => /^(process|system|disk|mysql|db)_/.test(name)),
      [],
    )
  })
}
