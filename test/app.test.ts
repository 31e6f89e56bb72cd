import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Hono } from 'hono'
import { createTelemetryApp } from '../src/mod.ts'

const VERSION = { package: '7.7.7', git: '123456789a', branch: 'HEAD' }

const appWithLog = (logLevel: 'info' | 'silent' = 'info') => {
  const lines: Record<string, unknown>[] = []
  const app = createTelemetryApp({ version: VERSION, logLevel, log: (line) => lines.push(JSON.parse(line)) })
  return { app, lines }
}

describe('createTelemetryApp', () => {
  it('serves the documented /version JSON', async () => {
    const response = await createTelemetryApp({ version: VERSION, logLevel: 'silent' }).request('/version')
    assert.equal(await response.text(), '{"package":"7.7.7","git":"123456789a","branch":"HEAD"}')
  })

  it('reports "unknown" for build info it was not given', async () => {
    const response = await createTelemetryApp({ version: { package: '1.0.0' }, logLevel: 'silent' }).request(
      '/version',
    )
    assert.deepEqual(await response.json(), { package: '1.0.0', git: 'unknown', branch: 'unknown' })
  })

  it('mounts into an existing Hono app next to its own routes', async () => {
    const meshPanel = new Hono()
    meshPanel.route('/', createTelemetryApp({ version: VERSION, logLevel: 'silent' }))
    meshPanel.get('/api/workspaces', (c) => c.json([]))
    assert.equal((await meshPanel.request('/version')).status, 200)
    assert.equal((await meshPanel.request('/api/workspaces')).status, 200)
  })

  it('logs the route template of the host app, not the raw path, when mounted first', async () => {
    const { app, lines } = appWithLog()
    const meshPanel = new Hono()
    meshPanel.route('/', app)
    meshPanel.get('/api/workspaces/:id', (c) => c.json({}))
    await meshPanel.request('/api/workspaces/customer-4711')
    assert.deepEqual(
      lines.map(({ method, route, status }) => ({ method, route, status })),
      [{ method: 'GET', route: '/api/workspaces/:id', status: 200 }],
    )
  })

  it('logs nothing with LOG_LEVEL silent', async () => {
    const { app, lines } = appWithLog('silent')
    await app.request('/version')
    await app.request('/nope')
    assert.deepEqual(lines, [])
  })

  it('answers a failing handler with 500 problem+json and logs the error without a stack', async () => {
    const { app, lines } = appWithLog()
    app.get('/broken', () => {
      throw new TypeError('boom')
    })
    const response = await app.request('/broken')
    assert.equal(response.status, 500)
    assert.equal(response.headers.get('content-type'), 'application/problem+json')
    assert.deepEqual(await response.json(), {
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
    })
    const failure = lines.find((line) => line.level === 'error')
    assert.equal(failure?.error, 'TypeError: boom')
    assert.equal(failure?.route, '/broken')
  })
})
