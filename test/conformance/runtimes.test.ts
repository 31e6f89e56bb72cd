import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { connect } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { freePort } from '../helpers/free-port.ts'
import { documentedCommand, PROJECT_ROOT } from '../helpers/project.ts'
import { RUNTIMES } from '../helpers/runtimes.ts'
import { runToExit, type ServerProcess, startServer } from '../helpers/server-process.ts'
import { startWorker } from '../helpers/workerd.ts'
import { BUILD_ENV, versionSpec } from './version-spec.ts'

const MOUNTED_SERVER = 'test/helpers/mounted-server.ts'

before(() => {
  // `npm start` builds first (prestart); do the same so Node runs the current source.
  const [command = '', ...args] = documentedCommand('package.json', 'build')
  execFileSync(command, args, {
    cwd: PROJECT_ROOT,
    env: { ...process.env, PATH: `node_modules/.bin:${process.env.PATH}` },
  })
})

const refusesConnections = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => socket.destroy() ?? resolve(false))
    socket.once('error', () => resolve(true))
  })

for (const runtime of RUNTIMES) {
  describe(`conformance on ${runtime.name}: ${runtime.standalone.join(' ')}`, () => {
    let server: ServerProcess
    before(async () => {
      server = await startServer(runtime.standalone, {
        ...BUILD_ENV,
        PORT: String(await freePort()),
        HOST: '127.0.0.1',
      })
    })
    after(() => server.stop())

    versionSpec(() => server.url)

    it('logs one JSON line per request with method, route template, status and duration', async () => {
      await fetch(`${server.url}/version`)
      await fetch(`${server.url}/customer/4711`)
      const requests = server.logs.filter((entry) => entry.msg === 'request')
      const lastTwo = requests.slice(-2).map(({ method, route, status }) => ({ method, route, status }))
      assert.deepEqual(lastTwo, [
        { method: 'GET', route: '/version', status: 200 },
        { method: 'GET', route: 'UNMATCHED', status: 404 },
      ])
      assert.ok(
        requests.every((entry) => typeof entry.durationMs === 'number' && typeof entry.time === 'string'),
      )
      assert.ok(!JSON.stringify(server.logs).includes('4711'), 'raw paths never reach the logs')
    })

    it('exits 0 on SIGTERM', async () => {
      const standalone = await startServer(runtime.standalone, {
        PORT: String(await freePort()),
        HOST: '127.0.0.1',
      })
      assert.equal(await standalone.stop('SIGTERM'), 0)
      assert.deepEqual(
        standalone.logs.map((entry) => entry.msg),
        ['listening', 'shutting down', 'stopped'],
      )
    })

    it('reports every bad variable in one message and exits 1 without a stack trace', async () => {
      const result = await runToExit(runtime.standalone, {
        PORT: 'abc',
        LOG_LEVEL: 'loud',
        MANAGEMENT_TOKEN: 'hunter2',
        DATABASE_URL: 'postgres://meshi:s3cret@db.internal/meshstack',
      })
      assert.equal(result.code, 1)
      const message = result.stderr.slice(result.stderr.indexOf('Cannot start'))
      assert.equal(
        message,
        [
          'Cannot start: 4 settings are invalid',
          '  - PORT must be an integer between 1 and 65535, got "abc"',
          '  - DATABASE_URL must be a URL like "mysql://user:password@host:3306/database", got "postgres://meshi:***@db.internal/meshstack"',
          '  - MANAGEMENT_TOKEN must be at least 16 characters without spaces, got a value of 7 characters (not shown)',
          '  - LOG_LEVEL must be one of silent, error, warn, info, debug, got "loud"',
          '',
        ].join('\n'),
      )
      assert.equal(result.stdout, '')
    })

    it('refuses to start on a port that is taken, with a message and exit 1', async () => {
      const port = String(await freePort())
      const first = await startServer(runtime.standalone, { PORT: port, HOST: '127.0.0.1' })
      const second = await runToExit(runtime.standalone, { PORT: port, HOST: '127.0.0.1' })
      await first.stop()
      assert.equal(second.code, 1)
      assert.match(
        second.stderr,
        new RegExp(
          `Cannot start: 127.0.0.1:${port} is already in use, set PORT to a free port or stop the other server\n$`,
        ),
      )
    })

    it('serves /version mounted in a host app and drains in-flight requests on SIGTERM', async () => {
      const port = await freePort()
      const mounted = await startServer(runtime.runFile(MOUNTED_SERVER), {
        PORT: String(port),
        SHUTDOWN_TIMEOUT_MS: '5000',
      })
      const version = await (await fetch(`${mounted.url}/version`)).text()
      assert.equal(version, '{"package":"1.2.3","git":"abcdef0123","branch":"main"}')
      const inFlight = fetch(`${mounted.url}/slow?ms=700`).then((response) => response.text())
      await new Promise((resolve) => setTimeout(resolve, 200))
      const exitCode = mounted.stop('SIGTERM')
      await new Promise((resolve) => setTimeout(resolve, 100))
      assert.equal(await refusesConnections(port), true, 'no new connections once shutting down')
      assert.equal(await inFlight, 'finished')
      assert.equal(await exitCode, 0)
    })

    it('gives up on requests still open after SHUTDOWN_TIMEOUT_MS and still exits 0', async () => {
      const mounted = await startServer(runtime.runFile(MOUNTED_SERVER), {
        PORT: String(await freePort()),
        SHUTDOWN_TIMEOUT_MS: '300',
      })
      void fetch(`${mounted.url}/slow?ms=10000`).catch(() => 'connection closed')
      await new Promise((resolve) => setTimeout(resolve, 200))
      const started = performance.now()
      assert.equal(await mounted.stop('SIGTERM'), 0)
      assert.ok(performance.now() - started < 3000, 'exits soon after the grace period')
      assert.ok(mounted.logs.some((entry) => entry.level === 'warn' && entry.timeoutMs === 300))
    })
  })
}

describe('conformance on workerd (Cloudflare runtime, through miniflare)', () => {
  let worker: Awaited<ReturnType<typeof startWorker>>
  before(async () => {
    worker = await startWorker({ ...BUILD_ENV, LOG_LEVEL: 'silent' })
  })
  after(() => worker.stop())

  versionSpec(() => worker.url)
})
