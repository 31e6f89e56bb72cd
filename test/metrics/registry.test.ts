import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createRegistry } from '../../src/metrics/registry.ts'

const collected = async (registry: ReturnType<typeof createRegistry>) =>
  Object.fromEntries((await registry.collect()).map((family) => [family.definition.name, family.series]))

describe('the registry', () => {
  it('refuses definitions that would break the exposition or the lint', () => {
    const registry = createRegistry()
    assert.throws(
      () => registry.counter({ name: 'jobs', type: 'counter', help: 'x' }),
      /counters, and only counters, end in "_total"/,
    )
    assert.throws(() => registry.gauge({ name: 'queue_total', type: 'gauge', help: 'x' }), /only counters/)
    assert.throws(
      () => registry.gauge({ name: 'queue_size', type: 'gauge', help: 'x', unit: 'seconds' }),
      /unit "seconds" must end the name/,
    )
    assert.throws(() => registry.gauge({ name: 'bad-name', type: 'gauge', help: 'x' }), /must match/)
    assert.throws(
      () => registry.gauge({ name: 'jobs_count', type: 'gauge', help: 'x' }),
      /_count, _sum and _bucket/,
    )
    assert.throws(
      () => registry.gauge({ name: 'a_value', type: 'gauge', help: 'x', labels: { le: 'operational' } }),
      /label "le"/,
    )
    assert.throws(
      () => registry.histogram({ name: 'h_seconds', type: 'histogram', help: 'x', buckets: [1, 1] }),
      /buckets must increase/,
    )
    assert.throws(
      () => registry.gauge({ name: 'queue_size', type: 'gauge', help: 'x', max: true }),
      /only histograms have a max/,
    )
    assert.throws(
      () =>
        registry.histogram({
          name: 'jobs_seconds',
          type: 'histogram',
          help: 'x',
          buckets: [1],
          labels: { workspace: 'customer' },
          max: true,
        }),
      /a histogram with customer labels has no max/,
    )
    registry.gauge({ name: 'twice', type: 'gauge', help: 'x' })
    assert.throws(() => registry.gauge({ name: 'twice', type: 'gauge', help: 'x' }), /declared twice/)
  })

  it('caps series per family: further label combinations go to one OVERFLOW series and are counted', async () => {
    const registry = createRegistry()
    const counter = registry.counter({
      name: 'tenants_created_total',
      type: 'counter',
      help: 'x',
      labels: { platform: 'operational' },
      maxSeries: 2,
    })
    for (const platform of ['aws', 'azure', 'gcp', 'openstack', 'aws']) counter.inc({ platform })
    const families = await collected(registry)
    assert.deepEqual(
      families.tenants_created_total?.map((series) => [
        series.labelValues,
        'value' in series ? series.value : 0,
      ]),
      [
        [['aws'], 2],
        [['azure'], 1],
        [['OVERFLOW'], 2],
      ],
    )
    assert.deepEqual(
      families.meshstack_telemetry_series_overflow_total?.map((series) => [
        'value' in series && series.value,
        series.labelValues,
      ]),
      [[2, ['tenants_created_total']]],
    )
  })

  it('updates a bound series as an update with its labels would, and counts each update past the cap as an overflow', async () => {
    const registry = createRegistry()
    const latency = registry.histogram({
      name: 'queue_wait_seconds',
      type: 'histogram',
      help: 'x',
      labels: { queue: 'operational' },
      buckets: [0.1, 1],
      maxSeries: 1,
    })
    const inFlight = registry.gauge({ name: 'queue_in_flight', type: 'gauge', help: 'x' }).bind()
    const builds = latency.bind({ queue: 'builds' })
    builds.observe(0.05)
    latency.observe({ queue: 'builds' }, 0.5)
    const overflowing = latency.bind({ queue: 'replicas' })
    overflowing.observe(2)
    overflowing.observe(3)
    inFlight.add(2)
    inFlight.add(-1)
    const families = await collected(registry)
    assert.deepEqual(
      families.queue_wait_seconds?.map((series) => 'counts' in series && [series.labelValues, series.counts]),
      [
        [['builds'], [1, 1, 0]],
        [['OVERFLOW'], [0, 0, 2]],
      ],
    )
    assert.deepEqual(
      families.queue_in_flight?.map((series) => 'value' in series && series.value),
      [1],
    )
    assert.deepEqual(
      families.meshstack_telemetry_series_overflow_total?.map((series) => 'value' in series && series.value),
      [2],
    )
  })

  it('computes collector gauges at scrape time, and a failing collector only loses its own metrics', async () => {
    const registry = createRegistry()
    let scrapes = 0
    const queueDepth = { name: 'queue_depth', type: 'gauge', help: 'Events waiting.' } as const
    registry.collector({
      name: 'queue',
      definitions: [queueDepth],
      collect: (emit) => emit(queueDepth, ++scrapes),
    })
    const broken = { name: 'broken_value', type: 'gauge', help: 'Never there.' } as const
    registry.collector({
      name: 'broken',
      definitions: [broken],
      collect: () => {
        throw new Error('probe failed')
      },
    })
    const first = await collected(registry)
    assert.equal(first.queue_depth?.[0] && 'value' in first.queue_depth[0] && first.queue_depth[0].value, 1)
    assert.equal(first.broken_value, undefined)
    assert.deepEqual(
      first.meshstack_telemetry_collector_success?.map((series) => [
        series.labelValues[0],
        'value' in series && series.value,
      ]),
      [
        ['queue', 1],
        ['broken', 0],
      ],
    )
    const second = await collected(registry)
    assert.equal(
      second.queue_depth?.[0] && 'value' in second.queue_depth[0] && second.queue_depth[0].value,
      2,
    )
  })

  it('runs a collector once for concurrent scrapes, which all answer with its result, and again for a later one', async () => {
    const registry = createRegistry()
    let runs = 0
    const queueDepth = { name: 'queue_depth', type: 'gauge', help: 'Events waiting.' } as const
    registry.collector({
      name: 'queue',
      definitions: [queueDepth],
      collect: async (emit) => {
        const run = ++runs
        await new Promise((resolve) => setTimeout(resolve, 50))
        emit(queueDepth, run)
      },
    })
    const depthOf = (families: Awaited<ReturnType<typeof collected>>) =>
      families.queue_depth?.map((series) => 'value' in series && series.value)
    const burst = await Promise.all(Array.from({ length: 50 }, () => collected(registry)))
    assert.equal(runs, 1)
    assert.deepEqual(new Set(burst.map((families) => JSON.stringify(depthOf(families)))), new Set(['[1]']))
    assert.deepEqual(depthOf(await collected(registry)), [2])
  })

  it('keeps what a collector reports in the 100 ms after its 5 s timeout aborts it, and says it failed', async () => {
    const registry = createRegistry()
    const peerUp = { name: 'peer_up', type: 'gauge', help: 'Whether the peer answers.' } as const
    registry.collector({
      name: 'peer',
      definitions: [peerUp],
      // As the database collector does: a peer that does not answer in time is down, and that is worth reporting.
      collect: (emit, signal) =>
        new Promise<void>((resolve) =>
          signal.addEventListener('abort', () => {
            emit(peerUp, 0)
            resolve()
          }),
        ),
    })
    const deafValue = { name: 'deaf_value', type: 'gauge', help: 'Never there.' } as const
    registry.collector({ name: 'deaf', definitions: [deafValue], collect: () => new Promise(() => {}) })
    const started = performance.now()
    const families = await collected(registry)
    const ms = performance.now() - started
    assert.ok(ms >= 5000 && ms < 5000 + 100 + 200, `answered after ${Math.round(ms)} ms`)
    assert.deepEqual(
      families.peer_up?.map((series) => 'value' in series && series.value),
      [0],
    )
    assert.equal(families.deaf_value, undefined, 'a collector that ignores its signal loses its metrics')
    assert.deepEqual(
      families.meshstack_telemetry_collector_success?.map((series) => 'value' in series && series.value),
      [0, 0],
    )
  })

  it('keeps registries apart: two apps never share a series', async () => {
    const definition = { name: 'shared_name_total', type: 'counter', help: 'x' } as const
    const one = createRegistry()
    const other = createRegistry()
    one.counter(definition).inc()
    other.counter(definition)
    assert.equal((await collected(other)).shared_name_total, undefined)
  })
})
