// The current Node.js LTS, which the conformance suite runs the server on besides this machine's Node: the npm
// package `node` (the official binaries), installed once into .cache/ rather than as a dependency, whose `node`
// command would replace this machine's in every npm script. Installing it is a step before the specs, which make
// no connection beyond loopback.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { documentedCommand, PROJECT_ROOT } from './project.ts'
import type { RuntimeTarget } from './runtimes.ts'
import { skipForMissingTool } from './skip.ts'

/** Node 26 became the Active LTS in October 2026. */
export const NODE_LTS_VERSION = '26.10.0'

const PREFIX = `${PROJECT_ROOT}.cache/node-${NODE_LTS_VERSION}`
const BINARY = `${PREFIX}/node_modules/node/bin/node`

/**
 * Installs the LTS binary from the npm registry unless it is there: `npm run setup:node-lts`, which `npm test` runs
 * before the specs, so the specs themselves stay on loopback. The reason when it cannot (off line on a laptop).
 */
export function installNodeLts(): { readonly binary: string } | { readonly failed: string } {
  if (existsSync(BINARY)) return { binary: BINARY }
  const install = spawnSync(
    'npm',
    [
      'install',
      '--prefix',
      PREFIX,
      '--no-save',
      '--no-package-lock',
      '--no-audit',
      '--no-fund',
      `node@${NODE_LTS_VERSION}`,
    ],
    { encoding: 'utf8' },
  )
  if (install.status !== 0 || !existsSync(BINARY))
    return {
      failed: `could not install Node ${NODE_LTS_VERSION} from npm: ${install.stderr.trim().split('\n').at(-1)}`,
    }
  return { binary: BINARY }
}

/** The LTS binary `installNodeLts` put in .cache/; a skip reason without it, a failure under CI. */
export function nodeLts(): { readonly binary: string } | { readonly skip: string } {
  if (existsSync(BINARY)) return { binary: BINARY }
  return {
    skip: skipForMissingTool(
      `SKIPPED: Node ${NODE_LTS_VERSION} is not installed in .cache/ (npm run setup:node-lts installs it from npm)`,
    ),
  }
}

/** The standalone server started as `npm start` starts it, with the LTS binary in place of `node`. */
export function nodeLtsTarget(binary: string): RuntimeTarget {
  const [, ...args] = documentedCommand('package.json', 'start')
  return {
    name: 'node',
    standalone: [binary, ...args],
    runFile: (path) => [binary, '--import', 'tsx', path],
  }
}
