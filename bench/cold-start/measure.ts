// Cold start: time from spawning a server to its first answered GET /version, median of a few runs per runtime,
// and the same for a bare "hello" server and a bare Hono app on the same runtime, started the same way. Node's
// module runs dist/: build it first.
import { execFileSync, spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from 'esbuild'
import { freePort } from '../../test/helpers/free-port.ts'
import { installNodeLts, NODE_LTS_VERSION, nodeLtsTarget } from '../../test/helpers/node-lts.ts'
import { PATH_WITH_LOCAL_BINS, PROJECT_ROOT } from '../../test/helpers/project.ts'
import { RUNTIMES, type RuntimeTarget } from '../../test/helpers/runtimes.ts'
import { plainCommand } from '../plain-command.ts'
import { BARE_HONO } from '../routes/measure.ts'
import { median } from '../statistics.ts'

const BUILD_BUN_SERVER = `${PROJECT_ROOT}scripts/build-bun-server.ts`

export const FULL_RUNS = 11
export const QUICK_RUNS = 3

const BARE_SOURCE = `
const port = Number(process.env.PORT)
const fetch = () => new Response('{}')
if (globalThis.Deno) Deno.serve({ port, hostname: '127.0.0.1', onListen() {} }, fetch)
else if (globalThis.Bun) Bun.serve({ port, hostname: '127.0.0.1', fetch })
else (await import('node:http')).createServer((_, res) => res.end('{}')).listen(port, '127.0.0.1')
`

export interface ColdStartRow {
  /** The runtime's name; Node's current LTS is named with its version. */
  readonly runtime: string
  /** The documented command. */
  readonly command: string
  /** Medians, ms. */
  readonly moduleMs: number
  /** The runtime's own server answering `{}`. */
  readonly bareMs: number
  /**
   * A bare Hono app with one route, served as the routes benchmark serves it; on Node and Bun bundled as the module
   * is (esbuild; Bun's bundler with its bytecode), on Deno run from its source as the routes benchmark runs it.
   */
  readonly bareHonoMs: number
}

export interface ColdStartResult {
  readonly runs: number
  readonly rows: readonly ColdStartRow[]
}

async function timeToFirstAnswer(argv: readonly string[]): Promise<number> {
  const port = await freePort()
  const started = performance.now()
  const [command = '', ...args] = argv
  const child = spawn(command, args, {
    cwd: PROJECT_ROOT,
    env: {
      PATH: PATH_WITH_LOCAL_BINS,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      ROUTE: '/version',
    },
    stdio: 'ignore',
  })
  try {
    for (;;) {
      const answered = await fetch(`http://127.0.0.1:${port}/version`).then(
        (response) => response.ok,
        () => false,
      )
      if (answered) return performance.now() - started
      if (performance.now() - started > 20_000)
        throw new Error(`${argv.join(' ')} did not answer within 20 s`)
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
  } finally {
    child.kill('SIGKILL')
  }
}

/**
 * The median start of each command, the commands taking turns run by run: on shared cores the machine's speed drifts
 * within seconds, and a drift then falls on every command alike.
 */
async function interleavedMedians(runs: number, commands: readonly (readonly string[])[]): Promise<number[]> {
  const times = commands.map((): number[] => [])
  for (let run = 0; run < runs; run++)
    for (const [index, argv] of commands.entries()) times[index]?.push(await timeToFirstAnswer(argv))
  return times.map(median)
}

/**
 * Measures every runtime, and Node's current LTS when it can be installed (the conformance suite's, from npm), the
 * bare server first, `runs` times each.
 * @example const result = await measureColdStart(FULL_RUNS)
 */
export async function measureColdStart(runs: number): Promise<ColdStartResult> {
  const folder = await mkdtemp(join(tmpdir(), 'bench-cold-start-'))
  const bareServer = join(folder, 'bare-server.mjs')
  const bareHonoBundle = join(folder, 'bare-hono.mjs')
  const bareHonoForBun = join(folder, 'bun')
  await writeFile(bareServer, BARE_SOURCE)
  // Bundled as the module is, so that Node and Bun load both the same way: with the flags of npm run build:server,
  // and by the script of npm run build:server:bun (CommonJS and Bun's bytecode: bare Hono starts in about half the
  // time it takes from node_modules).
  await build({
    entryPoints: [BARE_HONO],
    bundle: true,
    format: 'esm',
    platform: 'node',
    outfile: bareHonoBundle,
    external: ['mysql2', 'undici'],
    logLevel: 'warning',
  })
  execFileSync('bun', [BUILD_BUN_SERVER, BARE_HONO, bareHonoForBun], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, PATH: PATH_WITH_LOCAL_BINS },
  })
  const bareHonoOf: Record<RuntimeTarget['name'], string> = {
    node: bareHonoBundle,
    deno: BARE_HONO,
    bun: join(bareHonoForBun, 'bare-hono.js'),
  }
  // Node 20, this machine's, is past its end of life; what it loads at start is not what the current LTS loads.
  const lts = installNodeLts()
  const runtimes = [
    ...RUNTIMES.map((runtime) => ({ name: runtime.name, runtime })),
    ...('binary' in lts
      ? [{ name: `node ${NODE_LTS_VERSION} (LTS)`, runtime: nodeLtsTarget(lts.binary) }]
      : []),
  ]
  try {
    const rows: ColdStartRow[] = []
    for (const { name, runtime } of runtimes) {
      const [bareMs = Number.NaN, bareHonoMs = Number.NaN, moduleMs = Number.NaN] = await interleavedMedians(
        runs,
        [
          plainCommand(runtime, bareServer),
          plainCommand(runtime, bareHonoOf[runtime.name]),
          runtime.standalone,
        ],
      )
      rows.push({
        runtime: name,
        // The LTS binary's path, from the project's root, as on any machine.
        command: runtime.standalone.join(' ').replace(PROJECT_ROOT, ''),
        moduleMs,
        bareMs,
        bareHonoMs,
      })
    }
    return { runs, rows }
  } finally {
    await rm(folder, { recursive: true, force: true })
  }
}
