import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { nodeOpenDurableFolder } from '../../src/adapter/node/files.ts'
import { openFetchHttpClient } from '../../src/adapter/shared/fetch-http-client.ts'
import { serverPorts } from '../../src/adapter/shared/server-ports.ts'
import { composeTelemetryApp } from '../../src/app.ts'
import { EVERY_FEATURE } from '../../src/every-feature.ts'
import { createTelemetryApp, type HealthIndicator, type TelemetryOptions } from '../../src/mod.ts'
import { resolveOptions } from '../../src/options.ts'

const TOKEN = 'management-token-0123456789'
const up: HealthIndicator = async () => ({ status: 'UP' })
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function telemetry(health: NonNullable<TelemetryOptions['health']> = {}, extra: TelemetryOptions = {}) {
  const lines: Record<string, unknown>[] = []
  const app = createTelemetryApp({
    logLevel: 'warn',
    log: (line) => lines.push(JSON.parse(line)),
    ...extra,
    health: { diskSpace: { path: '/' }, ...health },
  })
  app.lifecycle.ready()
  return { app, lines }
}

const body = async (response: Response) => JSON.parse(await response.text())

describe('GET /actuator/health', () => {
  it('shows every component, sorted by name, with details in the order the indicator gave them', async () => {
    const { app } = telemetry({
      indicators: {
        broker: { us2: async () => ({ status: 'UP', details: { version: '1.0.4', a: 1 } }), us1: up },
      },
    })
    const response = await app.request('/actuator/health')
    assert.equal(response.status, 200)
    assert.equal(response.headers.get('content-type'), 'application/vnd.spring-boot.actuator.v3+json')
    assert.equal(response.headers.get('cache-control'), 'no-store')
    const json = await body(response)
    assert.deepEqual(Object.keys(json.components), ['broker', 'diskSpace', 'ping'])
    assert.deepEqual(json.components.broker, {
      status: 'UP',
      components: { us1: { status: 'UP' }, us2: { status: 'UP', details: { version: '1.0.4', a: 1 } } },
    })
    assert.deepEqual(Object.keys(json.components.diskSpace.details), [
      'total',
      'free',
      'threshold',
      'path',
      'exists',
    ])
    assert.equal(json.components.diskSpace.details.path, '/')
  })

  it('reports diskSpace DOWN below the threshold and for a path that does not exist', async () => {
    const { app } = telemetry({ diskSpace: { path: '/', thresholdBytes: Number.MAX_SAFE_INTEGER } })
    assert.equal((await app.request('/actuator/health')).status, 503)
    const { app: missing } = telemetry({ diskSpace: { path: '/no/such/folder' } })
    const disk = await body(await missing.request('/actuator/health/diskSpace'))
    assert.deepEqual(disk, {
      status: 'DOWN',
      details: { total: 0, free: 0, threshold: 10485760, path: '/no/such/folder', exists: false },
    })
  })

  it('answers 503 with DOWN when one indicator fails, and keeps the error as a detail', async () => {
    const { app } = telemetry({
      indicators: {
        broker: async () => {
          throw new RangeError('queue depth unknown')
        },
      },
    })
    const response = await app.request('/actuator/health')
    assert.equal(response.status, 503)
    const json = await body(response)
    assert.equal(json.status, 'DOWN')
    assert.deepEqual(json.components.broker, {
      status: 'DOWN',
      details: { error: 'RangeError: queue depth unknown' },
    })
  })

  it('runs indicators concurrently, each bounded by its own timeout', async () => {
    const slow: HealthIndicator = (signal) =>
      new Promise((resolve) => {
        const timer = setTimeout(() => resolve({ status: 'UP' }), 5000)
        signal.addEventListener('abort', () => clearTimeout(timer))
      })
    const { app, lines } = telemetry({
      timeoutMs: 200,
      slowThresholdMs: 150,
      indicators: { a: slow, b: slow, c: slow },
    })
    const started = performance.now()
    const json = await body(await app.request('/actuator/health'))
    const elapsed = performance.now() - started
    assert.ok(elapsed < 600, `three 200 ms timeouts in parallel took ${elapsed} ms`)
    assert.deepEqual(json.components.a, {
      status: 'DOWN',
      details: { error: 'HealthCheckTimeoutError: no answer within 200 ms' },
    })
    assert.deepEqual(
      lines.filter((line) => line.msg === 'slow health indicator').map((line) => line.indicator),
      ['a', 'b', 'c'],
    )
  })

  it('shares one in-flight check among concurrent requests and reuses the result for the cache TTL', async () => {
    let calls = 0
    const counted: HealthIndicator = async () => {
      calls++
      await sleep(50)
      return { status: 'UP' }
    }
    const { app } = telemetry({ cacheTtlMs: 300, indicators: { counted } })
    await Promise.all(Array.from({ length: 100 }, () => app.request('/actuator/health')))
    assert.equal(calls, 1)
    await app.request('/actuator/health/counted')
    assert.equal(calls, 1, 'the component path and the root share the cached result')
    await sleep(350)
    await app.request('/actuator/health')
    assert.equal(calls, 2)
  })

  it('answers each caller and API version in its own shape while the result is cached, and the next result once it changes', async () => {
    let status = 'UP'
    const flipping: HealthIndicator = async () => ({ status, details: { checked: status } })
    const { app } = telemetry(
      { cacheTtlMs: 200, showDetails: 'when-authorized', indicators: { flipping } },
      { managementToken: TOKEN },
    )
    const manager = { authorization: `Bearer ${TOKEN}` }
    const v2 = { ...manager, accept: 'application/vnd.spring-boot.actuator.v2+json' }
    const answers = async () => ({
      anonymous: await body(await app.request('/actuator/health')),
      v3: (await body(await app.request('/actuator/health', { headers: manager }))).components.flipping,
      v2: (await body(await app.request('/actuator/health', { headers: v2 }))).details.flipping,
      readiness: await body(await app.request('/actuator/health/readiness', { headers: manager })),
    })
    for (let round = 0; round < 2; round++) {
      assert.deepEqual(await answers(), {
        anonymous: { status: 'UP', groups: ['liveness', 'readiness'] },
        v3: { status: 'UP', details: { checked: 'UP' } },
        v2: { status: 'UP', details: { checked: 'UP' } },
        readiness: { status: 'UP', components: { readinessState: { status: 'UP' } } },
      })
    }
    status = 'DOWN'
    await sleep(250)
    const down = await app.request('/actuator/health')
    assert.equal(down.status, 503)
    assert.deepEqual(await answers(), {
      anonymous: { status: 'DOWN', groups: ['liveness', 'readiness'] },
      v3: { status: 'DOWN', details: { checked: 'DOWN' } },
      v2: { status: 'DOWN', details: { checked: 'DOWN' } },
      readiness: { status: 'UP', components: { readinessState: { status: 'UP' } } },
    })
    await app.lifecycle.close()
    assert.equal((await app.request('/actuator/health/readiness')).status, 503)
  })

  it("answers Spring's v3 media type by default and application/json to clients that ask for it", async () => {
    const { app } = telemetry()
    assert.equal(
      (await app.request('/actuator/health')).headers.get('content-type'),
      'application/vnd.spring-boot.actuator.v3+json',
    )
    const json = await app.request('/actuator/health', { headers: { accept: 'application/json' } })
    assert.equal(json.headers.get('content-type'), 'application/json')
  })

  it('answers HEAD with the status code and no body', async () => {
    const { app } = telemetry()
    const response = await app.request('/actuator/health', { method: 'HEAD' })
    assert.equal(response.status, 200)
    assert.equal(await response.text(), '')
  })
})

describe('GET /actuator/health/<component>', () => {
  it('answers one component, and a nested one, in the shape of that node', async () => {
    const { app } = telemetry({
      indicators: { broker: { us1: async () => ({ status: 'DOWN', details: { x: 1 } }) } },
    })
    const nested = await app.request('/actuator/health/broker/us1')
    assert.equal(nested.status, 503)
    assert.deepEqual(await body(nested), { status: 'DOWN', details: { x: 1 } })
    assert.deepEqual(await body(await app.request('/actuator/health/ping')), { status: 'UP' })
  })

  it('answers 404 with an empty body for an unknown component or a path into a leaf', async () => {
    const { app } = telemetry()
    for (const path of [
      '/actuator/health/nope',
      '/actuator/health/ping/deeper',
      '/actuator/health/liveness/nope',
    ]) {
      const response = await app.request(path)
      assert.equal(response.status, 404, path)
      assert.equal(await response.text(), '', path)
    }
  })
})

describe('who sees details (HEALTH_SHOW_DETAILS)', () => {
  it('never: only the status, still computed from every component', async () => {
    const { app } = telemetry({
      showDetails: 'never',
      indicators: { broken: async () => ({ status: 'DOWN' }) },
    })
    const response = await app.request('/actuator/health')
    assert.equal(response.status, 503)
    assert.deepEqual(await body(response), { status: 'DOWN', groups: ['liveness', 'readiness'] })
    assert.equal((await app.request('/actuator/health/ping')).status, 404)
    assert.deepEqual(await body(await app.request('/actuator/health/liveness')), { status: 'UP' })
  })

  it('when-authorized: details only with the management token as a bearer token', async () => {
    const { app } = telemetry({ showDetails: 'when-authorized' }, { managementToken: TOKEN })
    const anonymous = await body(await app.request('/actuator/health'))
    assert.deepEqual(anonymous, { status: 'UP', groups: ['liveness', 'readiness'] })
    const wrong = await app.request('/actuator/health', { headers: { authorization: `Bearer ${TOKEN}x` } })
    assert.deepEqual(await body(wrong), { status: 'UP', groups: ['liveness', 'readiness'] })
    const manager = await app.request('/actuator/health', { headers: { authorization: `Bearer ${TOKEN}` } })
    assert.deepEqual(Object.keys((await body(manager)).components), ['diskSpace', 'ping'])
    const component = await app.request('/actuator/health/ping', {
      headers: { authorization: `bearer ${TOKEN}` },
    })
    assert.equal(component.status, 200)
  })

  it('defaults to when-authorized once a management token is set: details with the token, probe statuses without', async () => {
    const { app } = telemetry({}, { managementToken: TOKEN })
    assert.deepEqual(await body(await app.request('/actuator/health')), {
      status: 'UP',
      groups: ['liveness', 'readiness'],
    })
    assert.equal((await app.request('/actuator/health/ping')).status, 404)
    for (const probe of ['/actuator/health/liveness', '/actuator/health/readiness']) {
      const response = await app.request(probe)
      assert.equal(response.status, 200, probe)
      assert.deepEqual(await body(response), { status: 'UP' }, probe)
    }
    const manager = await app.request('/actuator/health', { headers: { authorization: `Bearer ${TOKEN}` } })
    assert.deepEqual(Object.keys((await body(manager)).components), ['diskSpace', 'ping'])
  })

  it('defaults to always without a management token, and keeps always when it is chosen with one', async () => {
    const { app: open } = telemetry()
    assert.deepEqual(Object.keys((await body(await open.request('/actuator/health'))).components), [
      'diskSpace',
      'ping',
    ])
    const { app: chosen } = telemetry({ showDetails: 'always' }, { managementToken: TOKEN })
    assert.equal((await chosen.request('/actuator/health/ping')).status, 200)
  })

  it('when-authorized needs a management token to compare against', () => {
    assert.throws(() => createTelemetryApp({ health: { showDetails: 'when-authorized' } }), {
      message:
        'Cannot create the telemetry app: health.showDetails must be always or never unless a management token is set (when-authorized compares callers against it), got "when-authorized"',
    })
  })
})

describe('groups at the health root', () => {
  // Spring's HealthEndpointSupport passes the group names to the system health (SystemHealth.java) whether or not
  // components show; a group's own answer is a plain composite without them.
  it('lists the probe groups, sorted, after the components', async () => {
    const json = await body(await telemetry().app.request('/actuator/health'))
    assert.deepEqual(Object.keys(json), ['status', 'components', 'groups'])
    assert.deepEqual(json.groups, ['liveness', 'readiness'])
  })

  it('lists them in the v2 shape too, after details', async () => {
    const response = await telemetry().app.request('/actuator/health', {
      headers: { accept: 'application/vnd.spring-boot.actuator.v2+json' },
    })
    assert.deepEqual(Object.keys(await body(response)), ['status', 'details', 'groups'])
  })

  it('never lists them in a group, nor on a leaf component', async () => {
    const { app } = telemetry()
    for (const path of ['/actuator/health/liveness', '/actuator/health/readiness', '/actuator/health/ping']) {
      assert.equal((await body(await app.request(path))).groups, undefined, path)
    }
  })

  it('lists them on a composite component reached from the root, as Spring does, but not on one reached through a group', async () => {
    // HealthEndpointSupport: isSystemHealth = group == groups.getPrimary() && pathOffset == 0, and every composite
    // below it is written as a SystemHealth with the group names.
    const { app } = telemetry({ readinessIncludes: ['broker'], indicators: { broker: { us1: up } } })
    assert.deepEqual(await body(await app.request('/actuator/health/broker')), {
      status: 'UP',
      components: { us1: { status: 'UP' } },
      groups: ['liveness', 'readiness'],
    })
    assert.deepEqual(await body(await app.request('/actuator/health/readiness/broker')), {
      status: 'UP',
      components: { us1: { status: 'UP' } },
    })
  })
})

describe('liveness and readiness groups', () => {
  it('liveness never runs other indicators', async () => {
    let calls = 0
    const { app } = telemetry({
      indicators: {
        db: async () => {
          calls++
          return { status: 'DOWN' }
        },
      },
    })
    const response = await app.request('/actuator/health/liveness')
    assert.equal(response.status, 200)
    assert.deepEqual(await body(response), { status: 'UP', components: { livenessState: { status: 'UP' } } })
    assert.equal(calls, 0)
  })

  it('readiness is OUT_OF_SERVICE while starting and draining, and includes the chosen components', async () => {
    const app = createTelemetryApp({
      logLevel: 'silent',
      health: { readinessIncludes: ['queue'], indicators: { queue: up } },
    })
    const readiness = () => app.request('/actuator/health/readiness')
    assert.equal((await readiness()).status, 503)
    assert.deepEqual(await body(await readiness()), {
      status: 'OUT_OF_SERVICE',
      components: { queue: { status: 'UP' }, readinessState: { status: 'OUT_OF_SERVICE' } },
    })
    app.lifecycle.ready()
    assert.equal((await readiness()).status, 200)
    app.lifecycle.drain()
    assert.equal((await readiness()).status, 503)
    assert.equal((await app.request('/actuator/health/liveness')).status, 200)
  })

  it('rejects readiness members that do not exist', () => {
    assert.throws(
      () => createTelemetryApp({ health: { readinessIncludes: ['db'] } }),
      /health\.readinessIncludes must be names of health components \(diskSpace, ping\), got \["db"\]/,
    )
  })
})

describe('/actuator discovery and /actuator/info', () => {
  it('links every endpoint with absolute hrefs', async () => {
    const { app } = telemetry()
    const json = await body(await app.request('http://meshpanel.example.com/actuator'))
    assert.deepEqual(json, {
      _links: {
        self: { href: 'http://meshpanel.example.com/actuator', templated: false },
        health: { href: 'http://meshpanel.example.com/actuator/health', templated: false },
        'health-path': { href: 'http://meshpanel.example.com/actuator/health/{*path}', templated: true },
        info: { href: 'http://meshpanel.example.com/actuator/info', templated: false },
        prometheus: { href: 'http://meshpanel.example.com/actuator/prometheus', templated: false },
        metrics: { href: 'http://meshpanel.example.com/actuator/metrics', templated: false },
        'metrics-requiredMetricName': {
          href: 'http://meshpanel.example.com/actuator/metrics/{requiredMetricName}',
          templated: true,
        },
        'metrics-catalogue': {
          href: 'http://meshpanel.example.com/actuator/metrics-catalogue',
          templated: false,
        },
        telemetry: { href: 'http://meshpanel.example.com/actuator/telemetry', templated: false },
      },
    })
  })

  it('reports build and git info from the same source as /version', async () => {
    const { app } = telemetry({}, { version: { package: '7.7.7', git: '123456789a', branch: 'HEAD' } })
    assert.deepEqual(await body(await app.request('/actuator/info')), {
      build: { version: '7.7.7' },
      git: { branch: 'HEAD', commit: { id: '123456789a' } },
    })
  })
})

describe('a cached health answer', () => {
  // src/health/routes.ts: a cached answer reaches Hono without a promise, so the standalone server, which observes
  // each route in its handler, answers it as Hono answers a bare route (no async dispatch).
  it('is given synchronously by the standalone server with the default settings, which need no token', async () => {
    const app = composeTelemetryApp(
      resolveOptions({ logLevel: 'warn', log: () => {}, health: { diskSpace: { path: '/' } } }),
      serverPorts(openFetchHttpClient, nodeOpenDurableFolder),
      { served: 'alone', features: EVERY_FEATURE },
    )
    app.lifecycle.ready()
    assert.equal((await app.request('/actuator/health')).status, 200)
    const answer = app.fetch(new Request('http://localhost/actuator/health'))
    assert.ok(answer instanceof Response, 'not a promise')
    assert.equal(answer.status, 200)
    assert.deepEqual(Object.keys((await body(answer)).components), ['diskSpace', 'ping'])
  })
})
