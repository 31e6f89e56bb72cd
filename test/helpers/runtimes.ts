import { documentedCommand } from './project.ts'

/** A runtime the module must run on unchanged, and how the README starts it there. */
export interface RuntimeTarget {
  readonly name: 'node' | 'deno' | 'bun'
  /** The documented standalone start command. */
  readonly standalone: readonly string[]
  /** How to run a TypeScript file of the test suite on this runtime. */
  runFile(path: string): string[]
}

export const RUNTIMES: readonly RuntimeTarget[] = [
  {
    name: 'node',
    standalone: documentedCommand('package.json', 'start'),
    runFile: (path) => ['node', '--import', 'tsx', path],
  },
  {
    name: 'deno',
    standalone: documentedCommand('deno.json', 'start'),
    runFile: (path) => ['deno', 'run', '--allow-net', '--allow-env', '--allow-read', '--allow-sys', path],
  },
  {
    name: 'bun',
    standalone: documentedCommand('package.json', 'start:bun'),
    runFile: (path) => ['bun', path],
  },
]
