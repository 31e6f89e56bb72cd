import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** The project's root folder: servers are started from here, as the README does. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** The local binaries (tsc, deno, bun, ...) first on PATH, as `npm run` sets it. */
export const PATH_WITH_LOCAL_BINS = `${PROJECT_ROOT}node_modules/.bin:${process.env.PATH ?? ''}`

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

const SERVER_BUNDLE = `${PROJECT_ROOT}dist/server/node.js`

/** The newest modification time among the files the bundle is built from: src/ and package.json (its command). */
function newestSourceMs(): number {
  const sources = readdirSync(`${PROJECT_ROOT}src`, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => `${entry.parentPath}/${entry.name}`)
  return Math.max(...[...sources, `${PROJECT_ROOT}package.json`].map((file) => statSync(file).mtimeMs))
}

/**
 * Bundles the Node server as `npm start` does first (`npm run build:server`), unless the bundle is newer than every
 * source: `npm run test:specs` builds it once beforehand, and a spec file run alone still gets the current source.
 * @example before(() => buildServerBundle())
 */
export function buildServerBundle(): void {
  const builtMs = (() => {
    try {
      return statSync(SERVER_BUNDLE).mtimeMs
    } catch {
      return 0
    }
  })()
  if (builtMs <= newestSourceMs()) runDocumentedScript('build:server')
}
