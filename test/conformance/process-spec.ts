import assert from 'node:assert/strict'
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { it } from 'node:test'
import { freePort } from '../helpers/free-port.ts'
import { git } from '../helpers/git.ts'
import { PROJECT_ROOT } from '../helpers/project.ts'
import type { RuntimeTarget } from '../helpers/runtimes.ts'
import { runToExit, startServer } from '../helpers/server-process.ts'

const MOUNTED_SERVER = 'test/helpers/mounted-server.ts'

const refusesConnections = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(false)
    })
    socket.once('error', () => resolve(true))
  })

/** What a server started with `argv` answers on /version, with no version variables set. */
async function versionServedBy(argv: readonly string[]): Promise<unknown> {
  const standalone = await startServer(argv, { PORT: String(await freePort()), HOST: '127.0.0.1' })
  try {
    return await (await fetch(`${standalone.url}/version`)).json()
  } finally {
    await standalone.stop()
  }
}

/** How the server process behaves: bad configuration, a taken port, signals, draining. */
export function processSpec(runtime: RuntimeTarget, databaseUrl: () => string | undefined): void {
  it('exits 0 on SIGTERM after closing its database pool', async () => {
    const url = databaseUrl()
    const standalone = await startServer(runtime.standalone, {
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      ...(url && { DATABASE_URL: url }),
    })
    assert.equal((await fetch(`${standalone.url}/actuator/health`)).status, 200)
    assert.equal(await standalone.stop('SIGTERM'), 0)
    assert.deepEqual(
      standalone.logs.map((entry) => entry.msg),
      ['listening', 'request', 'shutting down', 'stopped'],
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

  it('refuses a HOST that is not this machine’s and a DATABASE_URL the driver could not decode, in one line each', async () => {
    // TEST-NET-1 (RFC 5737) is no machine's address; a name that is not this machine's would need a DNS lookup, which
    // the tests never make (test/helpers/loopback-only.mjs).
    const foreign = await runToExit(runtime.standalone, { HOST: '192.0.2.1' })
    assert.equal(foreign.code, 1)
    assert.equal(
      foreign.stderr,
      'Cannot start: HOST "192.0.2.1" is not an address or host name of this machine, set HOST to one of them or to 0.0.0.0\n',
    )
    const undecodable = await runToExit(runtime.standalone, {
      DATABASE_URL: 'mysql://meshi:100%sure@db.internal:3306/meshstack',
    })
    assert.equal(undecodable.code, 1)
    assert.match(
      undecodable.stderr,
      /^Cannot start: DATABASE_URL must be a URL like .* whose % signs start escapes/,
    )
    assert.doesNotMatch(undecodable.stderr, /100%sure|URIError|\n\s+at /)
  })

  it('reads its version from package.json and the git checkout when no variable names it', async () => {
    const branch = (() => {
      try {
        return git(PROJECT_ROOT, 'symbolic-ref', '--short', '-q', 'HEAD')
      } catch {
        return 'HEAD'
      }
    })()
    assert.deepEqual(await versionServedBy(runtime.standalone), {
      package: JSON.parse(await readFile(join(PROJECT_ROOT, 'package.json'), 'utf8')).version,
      git: git(PROJECT_ROOT, 'rev-parse', 'HEAD').slice(0, 10),
      branch,
    })
  })

  it('reads its version from the package its bundle was moved to, not from where it was built', async () => {
    // Container builds bundle in one folder and run in another: the package root is where the running bundle sits.
    const moved = await mkdtemp(join(tmpdir(), 'moved-package-'))
    try {
      await cp(join(PROJECT_ROOT, 'dist'), join(moved, 'dist'), { recursive: true })
      await symlink(join(PROJECT_ROOT, 'node_modules'), join(moved, 'node_modules'))
      await writeFile(join(moved, 'package.json'), JSON.stringify({ version: '9.8.7', type: 'module' }))
      const bundle = runtime.standalone.findIndex((arg) => arg.startsWith('dist/'))
      const argv = runtime.standalone.with(bundle, join(moved, runtime.standalone[bundle] ?? ''))
      assert.deepEqual(await versionServedBy(argv), { package: '9.8.7', git: 'unknown', branch: 'unknown' })
    } finally {
      await rm(moved, { recursive: true, force: true })
    }
  })

  it('refuses a METRICS_SQL_FILE it cannot read, with the code the runtime gave', async () => {
    const missing = await runToExit(runtime.standalone, { METRICS_SQL_FILE: '/nonexistent/metrics.json' })
    assert.equal(missing.code, 1)
    assert.equal(
      missing.stderr,
      'Cannot start: METRICS_SQL_FILE must be a readable JSON file like examples/mesh-objects.json, got "/nonexistent/metrics.json" (ENOENT)\n',
    )
  })

  it('reads a METRICS_SQL_FILE that is empty or a folder as every runtime reads a file, to the same messages', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'metrics-sql-'))
    const empty = join(folder, 'empty.json')
    await writeFile(empty, '')
    try {
      // Bun's entry maps the file (Bun.mmap), which cannot map an empty one: it must read it all the same.
      const emptyRun = await runToExit(runtime.standalone, { METRICS_SQL_FILE: empty })
      assert.equal(
        emptyRun.stderr,
        `Cannot start: METRICS_SQL_FILE must be a readable JSON file like examples/mesh-objects.json, got ${JSON.stringify(empty)} (not valid JSON)\n`,
      )
      const folderRun = await runToExit(runtime.standalone, { METRICS_SQL_FILE: folder })
      assert.equal(
        folderRun.stderr,
        `Cannot start: METRICS_SQL_FILE must be a readable JSON file like examples/mesh-objects.json, got ${JSON.stringify(folder)} (EISDIR)\n`,
      )
      assert.deepEqual([emptyRun.code, folderRun.code], [1, 1])
    } finally {
      await rm(folder, { recursive: true, force: true })
    }
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

  it('serves /version mounted in a host app, turns readiness OUT_OF_SERVICE and drains in-flight requests on SIGTERM', async () => {
    const port = await freePort()
    const mounted = await startServer(runtime.runFile(MOUNTED_SERVER), {
      PORT: String(port),
      SHUTDOWN_TIMEOUT_MS: '5000',
    })
    const version = await (await fetch(`${mounted.url}/version`)).text()
    assert.equal(version, '{"package":"1.2.3","git":"abcdef0123","branch":"main"}')
    assert.equal((await fetch(`${mounted.url}/actuator/health/readiness`)).status, 200)
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
}
