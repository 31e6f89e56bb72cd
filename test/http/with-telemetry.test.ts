// A host that is a plain `fetch` handler (Deno.serve, Bun.serve, a worker) mounts the module with withTelemetry:
// the module answers its own routes, the host the rest, and both are measured and logged alike.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createTelemetryApp, withTelemetry } from '../../src/mod.ts'

class WorkspaceLockedError extends Error {}

function host() {
  const lines: Record<string, unknown>[] = []
  const telemetry = createTelemetryApp({
    version: { package: '7.7.7', git: '123456789a', branch: 'HEAD' },
    log: (line) => lines.push(JSON.parse(line)),
  })
  const meshPanel = (request: Request): Response => {
    if (new URL(request.url).pathname === '/api/locked')
      throw new WorkspaceLockedError('workspace w-1 is locked')
    return Response.json({ path: new URL(request.url).pathname })
  }
  const fetch = withTelemetry(telemetry, meshPanel, {
    routeOf: (request) =>
      new URL(request.url).pathname.startsWith('/api/workspaces/') ? '/api/workspaces/:id' : undefined,
  })
  const get = (path: string, init?: RequestInit) =>
    fetch(new Request(`http://panel.example.com${path}`, init))
  return { telemetry, get, lines }
}

const requestsOf = async (get: (path: string) => Promise<Response>): Promise<string> =>
  (await (await get('/actuator/prometheus')).text())
    .split('\n')
    .filter((line) => line.startsWith('http_server_requests_seconds_count'))
    .join('\n')

describe('withTelemetry: the module in front of a fetch handler', () => {
  it("answers the module's routes itself, HEAD included, and passes every other request to the host", async () => {
    const { get } = host()
    assert.deepEqual(await (await get('/version')).json(), {
      package: '7.7.7',
      git: '123456789a',
      branch: 'HEAD',
    })
    assert.equal((await get('/version', { method: 'HEAD' })).status, 200)
    assert.deepEqual(await (await get('/api/workspaces/w-1')).json(), { path: '/api/workspaces/w-1' })
    assert.deepEqual(await (await get('/actuator-like/page')).json(), { path: '/actuator-like/page' })
  })

  it("measures and logs the host's requests by the route template it names, never the raw path", async () => {
    const { get, lines } = host()
    await get('/api/workspaces/w-1')
    await get('/api/workspaces/w-2')
    const counted = await requestsOf(get)
    assert.match(counted, /status="200",uri="\/api\/workspaces\/\{id\}"\} 2/)
    assert.doesNotMatch(counted, /w-1|w-2/)
    const logged = lines.filter((line) => line.msg === 'request' && line.route === '/api/workspaces/{id}')
    assert.equal(logged.length, 2)
  })

  it('counts a host request with no template as Spring does: UNKNOWN, or NOT_FOUND for a 404', async () => {
    const telemetry = createTelemetryApp({ log: () => {} })
    const fetch = withTelemetry(telemetry, (request) =>
      new URL(request.url).pathname === '/missing' ? new Response(null, { status: 404 }) : new Response('ok'),
    )
    await fetch(new Request('http://panel.example.com/page'))
    await fetch(new Request('http://panel.example.com/missing'))
    const counted = await requestsOf((path) => fetch(new Request(`http://panel.example.com${path}`)))
    assert.match(counted, /status="200",uri="UNKNOWN"\} 1/)
    assert.match(counted, /status="404",uri="NOT_FOUND"\} 1/)
  })

  it("counts what the host's handler threw as a 500 with its exception, and lets it reach the runtime", async () => {
    const { get } = host()
    await assert.rejects(get('/api/locked'), WorkspaceLockedError)
    assert.match(await requestsOf(get), /exception="OTHER"[^}]*status="500",uri="UNKNOWN"\} 1/)
  })

  it('says which requests the module serves, for hosts that route themselves', () => {
    const { telemetry } = host()
    assert.equal(telemetry.requests.serves('GET', '/actuator/health/liveness'), true)
    assert.equal(telemetry.requests.serves('HEAD', '/version'), true)
    assert.equal(telemetry.requests.serves('POST', '/version'), false)
    assert.equal(telemetry.requests.serves('GET', '/api/workspaces/w-1'), false)
  })
})
