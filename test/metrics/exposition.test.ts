import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { exportFamilies } from '../../src/metrics/export.ts'
import { renderExposition } from '../../src/metrics/exposition.ts'
import { chooseFormat } from '../../src/metrics/negotiate.ts'
import { createLabelPolicy } from '../../src/metrics/policy.ts'
import { type CollectingRegistry, createRegistry } from '../../src/metrics/registry.ts'

const keep = createLabelPolicy('keep', undefined)
const render = async (registry: CollectingRegistry, format: 'prometheus' | 'openmetrics') =>
  renderExposition(await exportFamilies(await registry.collect(), keep, new WeakMap()), format)

/** The Prometheus documentation's own example, in a registry of ours. */
function documentationExample(): CollectingRegistry {
  const registry = createRegistry()
  registry
    .gauge({
      name: 'msdos_file_access_time_seconds',
      type: 'gauge',
      unit: 'seconds',
      help: 'Last access time\\with a "quote" and a\nnewline.',
      labels: { path: 'operational', error: 'operational' },
    })
    .set({ path: 'C:\\DIR\\FILE.TXT', error: 'Cannot find file:\n"FILE.TXT"' }, 1.458255915e9)
  const requests = registry.counter({ name: 'jobs_done_total', type: 'counter', help: 'Jobs done.' })
  requests.inc(2)
  const histogram = registry.histogram({
    name: 'http_request_duration_seconds',
    type: 'histogram',
    unit: 'seconds',
    help: 'Request duration.',
    buckets: [0.1, 1],
  })
  for (const value of [0.05, 0.1, 0.5, 3]) histogram.observe(value)
  return registry
}

describe('the exposition', () => {
  it('renders Prometheus text 0.0.4 with escaped label values and help, and cumulative buckets ending in +Inf', async () => {
    assert.equal(
      await render(documentationExample(), 'prometheus'),
      [
        '# HELP http_request_duration_seconds Request duration.',
        '# TYPE http_request_duration_seconds histogram',
        'http_request_duration_seconds_bucket{le="0.1"} 2',
        'http_request_duration_seconds_bucket{le="1"} 3',
        'http_request_duration_seconds_bucket{le="+Inf"} 4',
        'http_request_duration_seconds_sum 3.65',
        'http_request_duration_seconds_count 4',
        '# HELP jobs_done_total Jobs done.',
        '# TYPE jobs_done_total counter',
        'jobs_done_total 2',
        '# HELP msdos_file_access_time_seconds Last access time\\\\with a "quote" and a\\nnewline.',
        '# TYPE msdos_file_access_time_seconds gauge',
        'msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1458255915',
        '',
      ].join('\n'),
    )
  })

  it('renders OpenMetrics 1.0: counter families without _total, UNIT, canonical le, escaped quotes in HELP, # EOF', async () => {
    assert.equal(
      await render(documentationExample(), 'openmetrics'),
      [
        '# TYPE http_request_duration_seconds histogram',
        '# UNIT http_request_duration_seconds seconds',
        '# HELP http_request_duration_seconds Request duration.',
        'http_request_duration_seconds_bucket{le="0.1"} 2',
        'http_request_duration_seconds_bucket{le="1.0"} 3',
        'http_request_duration_seconds_bucket{le="+Inf"} 4',
        'http_request_duration_seconds_sum 3.65',
        'http_request_duration_seconds_count 4',
        '# TYPE jobs_done counter',
        '# HELP jobs_done Jobs done.',
        'jobs_done_total 2',
        '# TYPE msdos_file_access_time_seconds gauge',
        '# UNIT msdos_file_access_time_seconds seconds',
        '# HELP msdos_file_access_time_seconds Last access time\\\\with a \\"quote\\" and a\\nnewline.',
        'msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1458255915',
        '# EOF',
        '',
      ].join('\n'),
    )
  })

  it('writes NaN and infinities the way Prometheus parses them', async () => {
    const registry = createRegistry()
    const gauge = registry.gauge({
      name: 'odd_values',
      type: 'gauge',
      help: 'Odd.',
      labels: { kind: 'operational' },
    })
    gauge.set({ kind: 'nan' }, Number.NaN)
    gauge.set({ kind: 'up' }, Number.POSITIVE_INFINITY)
    gauge.set({ kind: 'down' }, Number.NEGATIVE_INFINITY)
    const text = await render(registry, 'prometheus')
    assert.match(
      text,
      /odd_values\{kind="nan"\} NaN\nodd_values\{kind="up"\} \+Inf\nodd_values\{kind="down"\} -Inf\n/,
    )
  })
})

describe('format negotiation', () => {
  it('gives Prometheus 2.42 OpenMetrics for the Accept header it sends', () => {
    const prometheus242 =
      'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1'
    assert.equal(chooseFormat(prometheus242), 'openmetrics')
  })

  it('gives Prometheus 3 OpenMetrics too', () => {
    const prometheus3 =
      'application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.3,text/plain;version=0.0.4;q=0.2,*/*;q=0.1'
    assert.equal(chooseFormat(prometheus3), 'openmetrics')
  })

  it('gives browsers, curl and clients that prefer text the 0.0.4 format', () => {
    assert.equal(chooseFormat(undefined), 'prometheus')
    assert.equal(chooseFormat('*/*'), 'prometheus')
    assert.equal(
      chooseFormat('text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'),
      'prometheus',
    )
    assert.equal(chooseFormat('text/plain, application/openmetrics-text;q=0.5'), 'prometheus')
    assert.equal(chooseFormat('application/openmetrics-text;q=0'), 'prometheus')
  })
})
