// The line every benchmark prints first: figures only compare with figures taken on the same machine and versions.
import { spawnSync } from 'node:child_process'
import { arch, cpus, platform, totalmem } from 'node:os'
import { basename } from 'node:path'
import { PROJECT_ROOT } from '../test/helpers/project.ts'

const LOCAL_BINS = `${PROJECT_ROOT}node_modules/.bin`

/** The first version number a command prints (nginx writes it to stderr, wrk exits 1 after it). */
function versionOf(argv: readonly string[]): string {
  const [command = '', ...args] = argv
  const { stdout = '', stderr = '' } = spawnSync(command, args, { encoding: 'utf8' })
  return /\d+\.\d+[\w.+~-]*/.exec(`${stdout}\n${stderr}`)?.[0] ?? 'not found'
}

/**
 * Date, machine and versions in one line: Node (this process), Deno and Bun (the pinned ones in node_modules), and
 * each tool the benchmark runs (`tools`: names or paths of commands that print their version with `-v`).
 * @example console.log(`${environmentLine(['/usr/sbin/nginx', 'wrk'])}\n`)
 */
export function environmentLine(tools: readonly string[] = []): string {
  const processors = cpus()
  const memory = `${(totalmem() / 1024 ** 3).toFixed(1)} GiB`
  const versions = [
    `node ${process.versions.node}`,
    `deno ${versionOf([`${LOCAL_BINS}/deno`, '--version'])}`,
    `bun ${versionOf([`${LOCAL_BINS}/bun`, '--version'])}`,
    ...tools.map((tool) => {
      const version = versionOf([tool, '-v'])
      return `${basename(tool)} ${version === 'not found' ? versionOf([tool, '--version']) : version}`
    }),
  ]
  const machine = `${processors.length} cores (${processors[0]?.model.trim() ?? 'unknown CPU'}), ${memory}, ${platform()} ${arch()}`
  return `${new Date().toISOString()}; ${machine}; ${versions.join(', ')}`
}
