// The current Node.js LTS, which the conformance suite runs the server on besides this machine's Node: the npm
// package `node` (the official binaries), installed once into .cache/ rather than as a dependency, whose `node`
// command would replace this machine's in every npm script.
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
 * The LTS binary, installed from the npm registry on first use; a skip reason when it cannot be (off line on a
 * laptop), a failure under CI.
 */
export function nodeLts(): { readonly binary: string } | { readonly skip: string } {
  if (!existsSync(BINARY)) {
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
        skip: skipForMissingTool(
          `SKIPPED: could not install Node ${NODE_LTS_VERSION} from npm: ${install.stderr.trim().split('\n').at(-1)}`,
        ),
      }
  }
  return { binary: BINARY }
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
