// Spring Boot's /actuator/metrics, computed from our registry. The contract is Spring's MetricsEndpoint
// (spring-projects/spring-boot, spring-boot-project/spring-boot-actuator/src/main/java/org/springframework/boot/
// actuate/metrics/MetricsEndpoint.java): names in a TreeSet; a metric is every meter of that name carrying all
// `tag=key:value` filters (split at the first colon, anything else InvalidEndpointRequestException, so 400), their
// statistics summed (MAX by max), the other tags with their values; no meter is a null result, so 404. Meters
// measure as Micrometer's do: a counter COUNT, a gauge VALUE, a timer COUNT and TOTAL_TIME, a summary COUNT and
// TOTAL (our histograms keep no MAX, so there is none).
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { describe, it } from 'node:test'
import { createTelemetryApp, type MetricDefinition, type TelemetryOptions } from '../../src/mod.ts'

const TOKEN = 'management-token-0123456789'

const fixture = async (name: string) =>
  JSON.parse(await readFile(new URL(`../fixtures/spring-boot/${name}`, import.meta.url), 'utf8'))

const pools = { area: 'operational', id: 'operational' } as const
const buffers = { id: 'operational' } as const
/** The JVM meters of Spring's documentation example, declared with the Prometheus names Micrometer gives them. */
const JVM = {
  bufferCount: {
    name: 'jvm_buffer_count_buffers',
    type: 'gauge',
    unit: 'buffers',
    help: 'buffers',
    labels: buffers,
  },
  bufferUsed: {
    name: 'jvm_buffer_memory_used_bytes',
    type: 'gauge',
    unit: 'bytes',
    help: 'used',
    labels: buffers,
  },
  bufferCapacity: {
    name: 'jvm_buffer_total_capacity_bytes',
    type: 'gauge',
    unit: 'bytes',
    help: 'capacity',
    labels: buffers,
  },
  committed: {
    name: 'jvm_memory_committed_bytes',
    type: 'gauge',
    unit: 'bytes',
    help: 'committed',
    labels: pools,
  },
  max: {
    name: 'jvm_memory_max_bytes',
    type: 'gauge',
    unit: 'bytes',
    help: 'The maximum amount of memory in bytes that can be used for memory management',
    labels: pools,
  },
  used: { name: 'jvm_memory_used_bytes', type: 'gauge', unit: 'bytes', help: 'used', labels: pools },
} as const satisfies Record<string, MetricDefinition<string>>

/** Maximum sizes of a G1 JVM's pools; -1 is "undefined" in Java's MemoryUsage, summed as it is by Micrometer. */
const POOL_MAX: readonly [area: string, id: string, bytes: number][] = [
  ['heap', 'G1 Eden Space', -1],
  ['heap', 'G1 Old Gen', 1073741824],
  ['heap', 'G1 Survivor Space', -1],
  ['nonheap', "CodeHeap 'non-nmethods'", 5836800],
  ['nonheap', "CodeHeap 'profiled nmethods'", 122908672],
  ['nonheap', "CodeHeap 'non-profiled nmethods'", 122912768],
  ['nonheap', 'Metaspace', -1],
  ['nonheap', 'Compressed Class Space', 1073741824],
]

function telemetry(options: TelemetryOptions = {}) {
  const app = createTelemetryApp({ logLevel: 'silent', ...options })
  app.metrics.collector({
    name: 'jvm',
    definitions: Object.values(JVM),
    collect: (emit) => {
      for (const [area, id, bytes] of POOL_MAX) {
        emit(JVM.max, { area, id }, bytes)
        emit(JVM.used, { area, id }, 1)
        emit(JVM.committed, { area, id }, 1)
      }
      for (const definition of [JVM.bufferCount, JVM.bufferUsed, JVM.bufferCapacity])
        emit(definition, { id: 'direct' }, 1)
    },
  })
  return app
}

const APPLICATION_TAG = { tag: 'application', values: ['meshpanel'] }
const sortedValues = (json: { availableTags: { tag: string; values: string[] }[] }) => ({
  ...json,
  availableTags: json.availableTags.map(({ tag, values }) => ({ tag, values: [...values].sort() })),
})

describe('GET /actuator/metrics', () => {
  it("lists Micrometer's names, sorted, as Spring's documented example does", async () => {
    // metrics-names.json: https://docs.spring.io/spring-boot/api/rest/actuator/metrics.html
    const response = await telemetry().request('/actuator/metrics')
    assert.equal(response.status, 200)
    assert.equal(response.headers.get('content-type'), 'application/vnd.spring-boot.actuator.v3+json')
    const { names } = await response.json()
    assert.deepEqual(
      names.filter((name: string) => name.startsWith('jvm.')),
      (await fixture('metrics-names.json')).names,
    )
    assert.deepEqual(names, [...names].sort())
    assert.ok(names.includes('process.uptime') && names.includes('system.cpu.usage'), names.join())
  })

  it('lists http.server.requests once requests were measured, and no Prometheus names', async () => {
    const app = telemetry()
    await app.request('/version')
    const { names } = await (await app.request('/actuator/metrics')).json()
    assert.ok(names.includes('http.server.requests'), names.join())
    assert.deepEqual(
      names.filter((name: string) => name.includes('_')),
      [],
    )
  })
})

describe('GET /actuator/metrics/{name}', () => {
  it("answers a gauge as Spring's documented example of jvm.memory.max does", async () => {
    // metric-jvm-memory-max.json: https://docs.spring.io/spring-boot/api/rest/actuator/metrics.html; Spring collects
    // tag values in a HashSet, so their order is not part of the answer.
    const response = await telemetry().request('/actuator/metrics/jvm.memory.max')
    assert.equal(response.status, 200)
    // Plus the common tag `application` every meter carries here (Spring Boot's management.metrics.tags, in
    // MetricsProperties), which the documented application does not set.
    const documented = await fixture('metric-jvm-memory-max.json')
    assert.deepEqual(
      sortedValues(await response.json()),
      sortedValues({ ...documented, availableTags: [APPLICATION_TAG, ...documented.availableTags] }),
    )
  })

  it('drills down by tag=key:value, summing what matches and leaving the filtered tag out', async () => {
    const app = telemetry()
    const nonheap = await (await app.request('/actuator/metrics/jvm.memory.max?tag=area:nonheap')).json()
    assert.deepEqual(nonheap.measurements, [{ statistic: 'VALUE', value: 1325400063 }])
    assert.deepEqual(
      nonheap.availableTags.map(({ tag }: { tag: string }) => tag),
      ['application', 'id'],
    )
    const metaspace = await (
      await app.request('/actuator/metrics/jvm.memory.max?tag=area:nonheap&tag=id:Metaspace')
    ).json()
    assert.deepEqual(metaspace.measurements, [{ statistic: 'VALUE', value: -1 }])
    assert.deepEqual(metaspace.availableTags, [APPLICATION_TAG])
  })

  it('answers the HTTP timer with COUNT, TOTAL_TIME and MAX in seconds, by method, uri, status and outcome', async () => {
    const app = telemetry()
    for (let i = 0; i < 3; i++) await app.request('/version')
    await app.request('/no/such/page')
    const json = await (await app.request('/actuator/metrics/http.server.requests?tag=uri:/version')).json()
    assert.equal(json.name, 'http.server.requests')
    assert.equal(json.baseUnit, 'seconds')
    assert.equal(
      json.description,
      'HTTP server requests by error, exception, method, outcome, status and route template.',
    )
    // The timer's MAX comes from its `_max` gauge, as Micrometer's Prometheus registry exposes it.
    assert.deepEqual(
      json.measurements.map(({ statistic }: { statistic: string }) => statistic),
      ['COUNT', 'TOTAL_TIME', 'MAX'],
    )
    assert.equal(json.measurements[0].value, 3)
    assert.ok(json.measurements[1].value > 0)
    assert.ok(json.measurements[2].value > 0 && json.measurements[2].value <= json.measurements[1].value)
    assert.deepEqual(json.availableTags, [
      APPLICATION_TAG,
      { tag: 'error', values: ['none'] },
      { tag: 'exception', values: ['none'] },
      { tag: 'method', values: ['GET'] },
      { tag: 'outcome', values: ['SUCCESS'] },
      { tag: 'status', values: ['200'] },
    ])
    const { names } = await (await app.request('/actuator/metrics')).json()
    assert.ok(!names.includes('http.server.requests.max'), 'MAX is a statistic, not a metric')
  })

  it('answers a counter with COUNT, and no baseUnit when it has none', async () => {
    const app = telemetry()
    const jobs = app.metrics.counter({ name: 'meshstack_jobs_total', type: 'counter', help: 'Jobs run.' })
    jobs.inc()
    jobs.inc(2)
    const json = await (await app.request('/actuator/metrics/meshstack.jobs')).json()
    assert.deepEqual(json, {
      name: 'meshstack.jobs',
      description: 'Jobs run.',
      measurements: [{ statistic: 'COUNT', value: 3 }],
      availableTags: [APPLICATION_TAG],
    })
  })

  it('answers 404 with an empty body for an unknown name and for tags nothing carries', async () => {
    const app = telemetry()
    for (const path of [
      '/actuator/metrics/no.such.metric',
      '/actuator/metrics/http_server_requests_seconds',
      '/actuator/metrics/jvm.memory.max?tag=area:stack',
    ]) {
      const response = await app.request(path)
      assert.equal(response.status, 404, path)
      assert.equal(await response.text(), '', path)
    }
  })

  it('answers 400 problem+json for a tag without a colon, without echoing it', async () => {
    const response = await telemetry().request('/actuator/metrics/jvm.memory.max?tag=area-heap')
    assert.equal(response.status, 400)
    assert.equal(response.headers.get('content-type'), 'application/problem+json')
    const text = await response.text()
    assert.deepEqual(JSON.parse(text), {
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: "Each tag parameter must be in the form 'key:value'",
    })
    assert.ok(!text.includes('area-heap'))
  })

  it('shows customer labels as the exposition does, after the policy', async () => {
    const app = telemetry({ metrics: { customerLabels: 'drop' } })
    const workspaces = app.metrics.counter({
      name: 'meshstack_jobs_total',
      type: 'counter',
      help: 'Jobs run.',
      labels: { workspace: 'customer', kind: 'operational' },
    })
    workspaces.inc({ workspace: 'customer-4711', kind: 'import' })
    workspaces.inc({ workspace: 'customer-0815', kind: 'import' })
    const json = await (await app.request('/actuator/metrics/meshstack.jobs')).json()
    assert.deepEqual(json.measurements, [{ statistic: 'COUNT', value: 2 }])
    assert.deepEqual(json.availableTags, [APPLICATION_TAG, { tag: 'kind', values: ['import'] }])
  })
})

describe('who may read /actuator/metrics', () => {
  it('needs the management token once one is set, as /actuator/prometheus does', async () => {
    const app = telemetry({ managementToken: TOKEN })
    for (const path of ['/actuator/metrics', '/actuator/metrics/jvm.memory.max']) {
      const anonymous = await app.request(path)
      assert.equal(anonymous.status, 401, path)
      assert.equal(anonymous.headers.get('www-authenticate'), 'Bearer realm="meshstack-telemetry"')
      const manager = await app.request(path, { headers: { authorization: `Bearer ${TOKEN}` } })
      assert.equal(manager.status, 200, path)
    }
  })

  it('negotiates as every actuator endpoint does', async () => {
    const app = telemetry()
    const json = await app.request('/actuator/metrics/jvm.memory.max', {
      headers: { accept: 'application/json' },
    })
    assert.equal(json.headers.get('content-type'), 'application/json')
    assert.equal((await app.request('/actuator/metrics', { headers: { accept: 'text/plain' } })).status, 406)
  })
})
