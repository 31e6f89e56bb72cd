import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
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
      [{ method: 'GET', route: '/api/workspaces/{id}', status: 200 }],
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

describe("the README's endpoint table", () => {
  const TOKEN = 'management-token-0123456789'
  /** What `{placeholder}` stands for in a row: something the app serves. */
  const SAMPLES: Readonly<Record<string, string>> = { component: 'ping', name: 'process.uptime' }

  /** The rows under "## Endpoints": each endpoint (`GET /path`) with its token column. */
  async function rows() {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8')
    const table = readme.slice(readme.indexOf('## Endpoints')).split('\n\n')[1] ?? ''
    return table
      .split('\n')
      .slice(2)
      .flatMap((line) => {
        const [endpoints = '', , token = ''] = line.split(' | ')
        return [...endpoints.matchAll(/`(GET|POST) ([^`]+)`/g)].map(([, method = '', path = '']) => ({
          method,
          path,
          token: token.replace(/ \|$/, ''),
        }))
      })
  }

  function fullApp() {
    const app = createTelemetryApp({
      version: VERSION,
      logLevel: 'silent',
      managementToken: TOKEN,
      plausible: { enabled: true, url: 'https://plausible.example.com', domain: 'meshpanel.example.com' },
    })
    app.lifecycle.ready()
    return app
  }

  it('lists every route the app serves', async () => {
    const documented = (await rows()).map(({ method, path }) => `${method} ${path}`)
    const served = fullApp()
      .routes.filter(({ method }) => method !== 'ALL')
      // A route parameter is a `{placeholder}` in the README, whatever its name there.
      .map(({ method, path }) => `${method} ${path.replace(/\/:.*$/, '/{')}`)
    for (const route of served) {
      assert.ok(
        documented.some((row) => row === route || (route.endsWith('{') && row.startsWith(route))),
        `${route} is not in the README`,
      )
    }
  })

  it('says truly which endpoints need the management token once it is set', async () => {
    const app = fullApp()
    const manager = { authorization: `Bearer ${TOKEN}` }
    await app.request('/version')
    for (const { method, path, token } of await rows()) {
      const url = path.replace(/\{(\w+)\}/g, (_, placeholder: string) => SAMPLES[placeholder] ?? placeholder)
      const anonymous = await app.request(url, { method })
      const withToken = await app.request(url, { method, headers: manager })
      const label = `${method} ${path}: ${token}`
      if (token === 'yes') {
        assert.equal(anonymous.status, 401, label)
        assert.equal(withToken.status, 200, label)
      } else if (token === 'for details') {
        const hidden = anonymous.status === 404 ? undefined : await anonymous.json()
        assert.equal(hidden?.components, undefined, label)
        assert.equal(withToken.status, 200, label)
      } else {
        assert.equal(token, 'no', label)
        assert.notEqual(anonymous.status, 401, label)
        assert.notEqual(anonymous.status, 404, label)
      }
    }
  })
})
