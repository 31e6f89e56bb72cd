import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** The project's root folder: servers are started from here, as the README does. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** The local binaries (tsc, deno, bun, ...) first on PATH, as `npm run` sets it. */
export const PATH_WITH_LOCAL_BINS = `${PROJECT_ROOT}node_modules/.bin:${process.env.PATH ?? ''}`

/**
 * What the tests' child processes get from this one: the local binaries first on PATH, HOME, and the loopback check
 * (test/helpers/loopback-only.mjs: its preload and its report) when this run has it, so Node children are checked too.
 */
export const CHILD_ENV: Readonly<Record<string, string>> = {
  PATH: PATH_WITH_LOCAL_BINS,
  HOME: process.env.HOME ?? '/tmp',
  ...(process.env.LOOPBACK_ONLY_REPORT !== undefined && {
    LOOPBACK_ONLY_REPORT: process.env.LOOPBACK_ONLY_REPORT,
    NODE_OPTIONS: process.env.NODE_OPTIONS ?? '',
  }),
}

const readJson = (file: string): Record<string, Record<string, string>> =>
  JSON.parse(readFileSync(new URL(file, `file://${PROJECT_ROOT}`), 'utf8'))

/**
 * The command behind a documented start script, split into argv, so tests start the servers exactly the
 * way the README tells a user to (`npm start`, `npm run start:bun`, `deno task start`). Variables the script sets
 * first (`DENO_NO_UPDATE_CHECK=1 deno run ...`) are set through `env`, which then runs the command in its place.
 */
export function documentedCommand(source: 'package.json' | 'deno.json', script: string): string[] {
  const scripts = source === 'package.json' ? readJson(source).scripts : readJson(source).tasks
  const command = scripts?.[script]
  if (command === undefined) throw new Error(`${source} has no script "${script}"`)
  const argv = command.split(/\s+/)
  return /^[A-Z_]+=/.test(argv[0] ?? '') ? ['env', ...argv] : argv
}

/** Runs a documented npm script (`build`, `build:edge`, `build:browser`) the way `npm run` would, from the root. */
export function runDocumentedScript(script: string): void {
  const [command = '', ...args] = documentedCommand('package.json', script)
  execFileSync(command, args, { cwd: PROJECT_ROOT, env: { ...process.env, PATH: PATH_WITH_LOCAL_BINS } })
}

// What each bundle's script builds first: Node's and Deno's (esbuild, npm run build:server), and Bun's.
const SERVER_BUNDLES = [
  { script: 'build:server', bundle: `${PROJECT_ROOT}dist/server/node.js` },
  { script: 'build:server:bun', bundle: `${PROJECT_ROOT}dist/bun/bun.js` },
] as const

/** The newest modification time among the files the bundles are built from: src/, and the commands that build them. */
function newestSourceMs(): number {
  const sources = readdirSync(`${PROJECT_ROOT}src`, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => `${entry.parentPath}/${entry.name}`)
  const commands = [`${PROJECT_ROOT}package.json`, `${PROJECT_ROOT}scripts/build-bun-server.ts`]
  return Math.max(...[...sources, ...commands].map((file) => statSync(file).mtimeMs))
}

const builtMs = (bundle: string): number => {
  try {
    return statSync(bundle).mtimeMs
  } catch {
    return 0
  }
}

/**
 * Bundles the servers as their documented start commands do first (`npm run build:server` for Node and Deno,
 * `npm run build:server:bun`), each unless its bundle is newer than every source: `npm run test:specs` builds them
 * once beforehand, and a spec file run alone still gets the current source.
 * @example before(() => buildServerBundles())
 */
export function buildServerBundles(): void {
  const newest = newestSourceMs()
  for (const { script, bundle } of SERVER_BUNDLES) if (builtMs(bundle) <= newest) runDocumentedScript(script)
}
