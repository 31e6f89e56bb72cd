// The module as a host application gets it: the packed tarball installed into a fresh project (offline, from the
// cache `npm ci` filled), the README's examples written into it as they stand and run on each runtime.
import assert from 'node:assert/strict'
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { Miniflare } from 'miniflare'
import { type ConsumerProject, installConsumer, mustRun, packTarball } from '../helpers/consumer-project.ts'
import { freePort } from '../helpers/free-port.ts'
import { nodeLts } from '../helpers/node-lts.ts'
import { CHILD_ENV, PROJECT_ROOT } from '../helpers/project.ts'
import { until } from '../helpers/until.ts'

/** The README's examples, by the file name each is marked with (`<!-- example: express.ts -->`). */
function readmeExamples(): Map<string, string> {
  const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8')
  const examples = new Map<string, string>()
  for (const [, name = '', code = ''] of readme.matchAll(
    /<!-- example: (\S+) -->\n```(?:ts|sh)\n([\s\S]*?)```/g,
  ))
    examples.set(name, code)
  return examples
}

const EXAMPLES = readmeExamples()
const NODE_EXAMPLES = ['hono-node.ts', 'express.ts', 'node-http.ts']
const OPTIONAL_PEERS = ['mysql2', 'undici', '@bufbuild/protobuf', 'snappyjs']

function writeExamples(dir: string, names: readonly string[]): void {
  for (const name of names) {
    const code = EXAMPLES.get(name)
    assert.ok(code, `README has the example ${name}`)
    writeFileSync(join(dir, name), code)
  }
}

function writeTsconfig(
  dir: string,
  file: string,
  resolution: 'nodenext' | 'bundler',
  include: string[],
): void {
  const compilerOptions = {
    target: 'es2022',
    module: resolution === 'nodenext' ? 'nodenext' : 'esnext',
    moduleResolution: resolution,
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    lib: ['es2023', 'dom'],
    types: ['node'],
    outDir: 'out',
    ...(resolution === 'bundler' && { noEmit: true }),
  }
  writeFileSync(join(dir, file), JSON.stringify({ compilerOptions, include }))
}

interface Host {
  readonly child: ChildProcess
  readonly url: string
  readonly output: () => string
}

/** Starts a host in `dir` and waits until it answers /version. */
async function startHost(
  dir: string,
  argv: readonly string[],
  env: Record<string, string> = {},
): Promise<Host> {
  const port = await freePort()
  const [command = '', ...args] = argv
  const child = spawn(command, args, {
    cwd: dir,
    env: {
      ...CHILD_ENV,
      DENO_NO_UPDATE_CHECK: '1',
      PORT: String(port),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // npx runs the server as a grandchild: the whole group is stopped.
    detached: true,
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  const url = `http://127.0.0.1:${port}`
  await until(
    async () => (await fetch(`${url}/version`).catch(() => undefined))?.ok === true,
    20_000,
    () => `${argv.join(' ')} answering /version (exit ${child.exitCode}):\n${output}`,
  )
  return { child, url, output: () => output }
}

/** What every host must show: the module's endpoints, the host's route, and the host's request measured and logged. */
async function assertServesModuleAndHost(url: string, output: () => string): Promise<void> {
  const version = await fetch(`${url}/version`)
  assert.equal(version.status, 200)
  assert.deepEqual(await version.json(), { package: '7.7.7', git: '123456789a', branch: 'HEAD' })
  const health = await fetch(`${url}/actuator/health`)
  assert.equal(health.status, 200)
  assert.equal(((await health.json()) as { status: string }).status, 'UP')
  const own = await fetch(`${url}/api/workspaces/w-1`)
  assert.equal(own.status, 200, 'the host route answers')
  await own.arrayBuffer()
  const metrics = await fetch(`${url}/actuator/prometheus`)
  assert.equal(metrics.status, 200)
  const text = await metrics.text()
  assert.match(text, /http_server_requests_seconds_count\{[^}]*uri="\/api\/workspaces\/\{id\}"[^}]*\} 1/)
  assert.match(text, /http_server_requests_seconds_count\{[^}]*uri="\/version"[^}]*\} \d+/)
  await until(
    () => output().includes('"route":"/api/workspaces/{id}","status":200'),
    5000,
    () => `the host's request logged:\n${output()}`,
  )
}

/** Starts a host, runs `check` against it, and stops it whatever happened. */
async function withHost(
  dir: string,
  argv: readonly string[],
  check: (host: Host) => Promise<void>,
  env: Record<string, string> = {},
): Promise<void> {
  let running: Host | undefined
  try {
    running = await startHost(dir, argv, env)
    await check(running)
  } finally {
    await stop(running)
  }
}

const servesModuleAndHost = ({ url, output }: Host): Promise<void> => assertServesModuleAndHost(url, output)

function stop(host: Host | undefined): Promise<void> {
  if (host === undefined || host.child.exitCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    host.child.once('close', () => resolve())
    process.kill(-(host.child.pid ?? 0), 'SIGKILL')
  })
}

describe('the packed tarball', () => {
  let packed: string
  let tarball: string
  before(() => {
    packed = mkdtempSync(join(tmpdir(), 'meshstack-pack-'))
    tarball = packTarball(packed)
  })

  it('holds built JS with declarations, README, LICENSE and the operations pack, and no tests, benchmarks or scripts', () => {
    const files = mustRun(['tar', '-tzf', tarball], packed)
      .split('\n')
      .filter(Boolean)
      .map((file) => file.replace(/^package\//, ''))
    for (const file of [
      'dist/mod.js',
      'dist/mod.d.ts',
      'dist/node.js',
      'dist/edge.d.ts',
      'dist/browser/mod.js',
      'dist/bin/node.js',
      'LICENSE',
      'README.md',
      'deploy/prometheus/alerts.yml',
    ])
      assert.ok(files.includes(file), `${file} is packed`)
    const internal = files.filter(
      (file) => /^(test|bench|scripts|\.ci|src)\/|\.ts$/.test(file) && !file.endsWith('.d.ts'),
    )
    assert.deepEqual(internal, [])
  })

  it('passes publint with no errors, warnings or suggestions', () => {
    const report = mustRun(['publint', '--strict', '--level', 'suggestion'], PROJECT_ROOT)
    assert.match(report, /All good!/)
  })

  it('resolves to declarations for every entry in node16 ESM and bundlers (arethetypeswrong, esm-only)', () => {
    mustRun(['attw', tarball, '--profile', 'esm-only'], PROJECT_ROOT)
  })

  it('publishes to JSR without slow types and without tests', () => {
    const report = mustRun(['deno', 'publish', '--dry-run', '--allow-dirty'], PROJECT_ROOT, {
      DENO_NO_UPDATE_CHECK: '1',
      NO_COLOR: '1',
    })
    const published = [...report.matchAll(/file:\/\/\/\S+/g)].map(([url]) =>
      url.slice(`file://${PROJECT_ROOT}`.length),
    )
    assert.ok(published.includes('src/mod.ts'))
    assert.deepEqual(
      published.filter((file) => /^(test|bench|scripts)\//.test(file)),
      [],
    )
  })

  describe('installed by a host on the newest hono', () => {
    let host: ConsumerProject
    before(() => {
      host = installConsumer({
        tarball,
        packages: ['hono', '@hono/node-server', 'express', '@types/express', '@types/node', 'typescript'],
      })
      writeExamples(host.dir, [...EXAMPLES.keys()])
    })
    after(() => host.remove())

    it('installs none of the optional peers for health and version', () => {
      for (const name of OPTIONAL_PEERS)
        assert.equal(existsSync(join(host.dir, 'node_modules', name)), false, name)
    })

    it('compiles the README examples with a strict tsc (nodenext and bundler resolution)', () => {
      writeTsconfig(host.dir, 'tsconfig.json', 'nodenext', [...NODE_EXAMPLES, 'worker.ts'])
      writeTsconfig(host.dir, 'tsconfig.bundler.json', 'bundler', [...NODE_EXAMPLES, 'worker.ts'])
      mustRun(['npx', 'tsc', '-p', 'tsconfig.json'], host.dir)
      mustRun(['npx', 'tsc', '-p', 'tsconfig.bundler.json'], host.dir)
    })

    it('rejects an option the module does not know at compile time', () => {
      writeFileSync(
        join(host.dir, 'loud.ts'),
        "import { createTelemetryApp } from '@meshcloud/meshstack-telemetry'\ncreateTelemetryApp({ logLevel: 'loud' })\n",
      )
      writeTsconfig(host.dir, 'tsconfig.loud.json', 'nodenext', ['loud.ts'])
      assert.throws(
        () => mustRun(['npx', 'tsc', '-p', 'tsconfig.loud.json'], host.dir),
        /TS2322[\s\S]*"loud"/,
      )
    })

    for (const example of NODE_EXAMPLES) {
      it(`serves ${example} on Node 20 and on Node's current LTS`, async (t) => {
        const compiled = join(host.dir, 'out', example.replace(/\.ts$/, '.js'))
        if (!existsSync(compiled)) mustRun(['npx', 'tsc', '-p', 'tsconfig.json'], host.dir)
        const lts = nodeLts()
        for (const node of ['node', ...('binary' in lts ? [lts.binary] : [])]) {
          await withHost(host.dir, [node, compiled], servesModuleAndHost)
        }
        if ('skip' in lts) t.skip(lts.skip)
      })
    }

    it('serves deno-serve.ts on Deno.serve', async () => {
      await withHost(
        host.dir,
        ['deno', 'run', '--allow-net', '--allow-env', '--allow-read', '--allow-sys', 'deno-serve.ts'],
        servesModuleAndHost,
      )
    })

    it('serves bun-serve.ts on Bun.serve', async () => {
      await withHost(host.dir, ['bun', 'bun-serve.ts'], servesModuleAndHost)
    })

    it('serves worker.ts on workerd, bundled from the edge entry as the README bundles it', async () => {
      mustRun(['sh', 'bundle-worker.sh'], host.dir)
      const logs: string[] = []
      const miniflare = new Miniflare({
        modules: true,
        modulesRoot: join(host.dir, 'dist'),
        scriptPath: join(host.dir, 'dist/worker.js'),
        compatibilityDate: '2025-07-18',
        host: '127.0.0.1',
        port: 0,
        // Miniflare's placeholder `Request.cf`, not the one it would fetch from workers.cloudflare.com.
        cf: false,
        handleRuntimeStdio: (stdout, stderr) => {
          stdout.on('data', (chunk: Buffer) => logs.push(chunk.toString()))
          stderr.on('data', (chunk: Buffer) => logs.push(chunk.toString()))
        },
      })
      try {
        const url = (
          await miniflare.ready.catch((error: Error) => assert.fail(`${error.message}\n${logs.join('')}`))
        ).origin
        await assertServesModuleAndHost(url, () => logs.join(''))
      } finally {
        await miniflare.dispose()
      }
    })

    it('starts the standalone server with npx, which answers /version', async () => {
      await withHost(
        host.dir,
        ['npx', '--offline', '@meshcloud/meshstack-telemetry'],
        async ({ url }) =>
          assert.deepEqual(await (await fetch(`${url}/version`)).json(), {
            package: '7.7.7',
            git: '123456789a',
            branch: 'HEAD',
          }),
        { GIT_COMMIT: '123456789a', GIT_BRANCH: 'HEAD' },
      )
    })

    it('refuses to start the standalone server when a configured feature misses its optional peer, naming both', async () => {
      const port = await freePort()
      const started = spawnSync('npx', ['--offline', 'meshstack-telemetry'], {
        cwd: host.dir,
        encoding: 'utf8',
        timeout: 20_000,
        env: {
          ...CHILD_ENV,
          PORT: String(port),
          DATABASE_URL: 'mysql://meshstack:s3cret@127.0.0.1:1/meshstack',
        },
      })
      assert.equal(started.status, 1)
      assert.equal(
        started.stderr.trim(),
        'Cannot load mysql2, which database.url (DATABASE_URL) needs: install it next to the module (npm install mysql2)',
      )
    })

    it('names the missing optional peer in the db component when a host creates the app', async () => {
      const script = join(host.dir, 'database-without-mysql2.mjs')
      writeFileSync(
        script,
        [
          "import { createTelemetryApp } from '@meshcloud/meshstack-telemetry'",
          "const telemetry = createTelemetryApp({ database: { url: 'mysql://meshstack:s3cret@127.0.0.1:1/meshstack' }, log: () => {} })",
          "const health = await telemetry.request('/actuator/health')",
          'console.log(JSON.stringify({ status: health.status, body: await health.json() }))',
          'await telemetry.lifecycle.close()',
        ].join('\n'),
      )
      const { status, body } = JSON.parse(mustRun(['node', script], host.dir)) as {
        status: number
        body: { components: { db: { details: { error: string } } } }
      }
      assert.equal(status, 503)
      assert.equal(
        body.components.db.details.error,
        'MissingPackageError: Cannot load mysql2, which database.url (DATABASE_URL) needs: install it next to the module (npm install mysql2)',
      )
    })
  })

  describe('installed by a host on hono 4.12', () => {
    let host: ConsumerProject
    before(() => {
      host = installConsumer({
        tarball,
        packages: ['@hono/node-server', '@types/node', 'typescript'],
        honoFrom: 'node_modules/hono-4.12',
      })
      writeExamples(host.dir, ['hono-node.ts'])
      writeTsconfig(host.dir, 'tsconfig.json', 'nodenext', ['hono-node.ts'])
    })
    after(() => host.remove())

    it('shares the host hono: one copy in the tree, the types compile, and no request answers 500', async () => {
      const copies = mustRun(['npm', 'ls', 'hono', '--all', '--parseable'], host.dir)
        .split('\n')
        .filter(Boolean)
      assert.deepEqual(copies, [join(host.dir, 'node_modules/hono')])
      assert.equal(
        JSON.parse(readFileSync(join(host.dir, 'node_modules/hono/package.json'), 'utf8')).version,
        '4.12.0',
      )
      mustRun(['npx', 'tsc', '-p', 'tsconfig.json'], host.dir)
      await withHost(host.dir, ['node', 'out/hono-node.js'], servesModuleAndHost)
    })
  })
})
