// The request log against pino: each logger writes the same lines in a process of its own on every runtime, the
// loggers taking turns round by round, stdout going to a file; the median time per line of each.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, open, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PATH_WITH_LOCAL_BINS, PROJECT_ROOT } from '../../test/helpers/project.ts'
import { RUNTIMES } from '../../test/helpers/runtimes.ts'
import { median } from '../statistics.ts'
import { LOGGERS, type LoggerName, type WriterTimes } from './loggers.ts'

const WRITER = `${PROJECT_ROOT}bench/request-log/writer.ts`

export interface RequestLogSettings {
  readonly lines: number
  readonly rounds: number
}
export const FULL: RequestLogSettings = { lines: 300_000, rounds: 5 }
export const QUICK: RequestLogSettings = { lines: 100_000, rounds: 2 }

/** Medians over the rounds, ns per line. */
export interface LoggerTimes {
  readonly logger: LoggerName
  readonly wallNs: number
  readonly cpuNs: number
}

export interface RequestLogRow {
  readonly runtime: string
  readonly loggers: readonly LoggerTimes[]
}

export interface RequestLogResult {
  readonly settings: RequestLogSettings
  readonly rows: readonly RequestLogRow[]
}

/** Members every logger's line must hold, whatever their order. */
const EXPECTED = { level: 'info', msg: 'request', method: 'GET', route: '/version', status: 200 }

/** Every line arrived, once, and holds what the module's request log writes. */
function checkLines(text: string, lines: number, label: string): void {
  const written = text.split('\n').filter((line) => line !== '')
  if (written.length !== lines) throw new Error(`${label} wrote ${written.length} lines, not ${lines}`)
  for (const line of [written[0] ?? '', written.at(-1) ?? '']) {
    const fields = JSON.parse(line) as Record<string, unknown>
    for (const [name, value] of Object.entries(EXPECTED))
      if (fields[name] !== value) throw new Error(`${label} wrote ${name}=${String(fields[name])} in ${line}`)
    if (typeof fields.time !== 'string' || typeof fields.durationMs !== 'number')
      throw new Error(`${label} wrote no time or durationMs in ${line}`)
  }
}

async function runWriter(argv: readonly string[], logFile: string, label: string): Promise<WriterTimes> {
  const output = await open(logFile, 'w')
  const [command = '', ...args] = argv
  const child = spawn(command, args, {
    cwd: PROJECT_ROOT,
    env: { PATH: PATH_WITH_LOCAL_BINS, HOME: process.env.HOME ?? '/tmp', DENO_NO_UPDATE_CHECK: '1' },
    stdio: ['ignore', output.fd, 'pipe'],
  })
  let stderr = ''
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  const [code] = await once(child, 'close')
  await output.close()
  if (code !== 0) throw new Error(`${label} exited with ${code}: ${stderr}`)
  return JSON.parse(stderr.trim().split('\n').at(-1) ?? '') as WriterTimes
}

/**
 * Times every logger on every runtime.
 * @example const { rows } = await measureRequestLog(FULL)
 */
export async function measureRequestLog(settings: RequestLogSettings): Promise<RequestLogResult> {
  const folder = await mkdtemp(join(tmpdir(), 'bench-request-log-'))
  try {
    const rows: RequestLogRow[] = []
    for (const runtime of RUNTIMES) {
      const times = new Map<LoggerName, WriterTimes[]>(LOGGERS.map((logger) => [logger, []]))
      for (let round = 0; round < settings.rounds; round++) {
        // Each round in the order opposite to the last, so a drift of the machine's speed falls on all alike.
        const order = round % 2 === 0 ? LOGGERS : [...LOGGERS].reverse()
        for (const logger of order) {
          const label = `${logger} on ${runtime.name}`
          const logFile = join(folder, `${runtime.name}-${logger}.log`)
          const argv = runtime.runFile(WRITER).concat(logger, String(settings.lines))
          times.get(logger)?.push(await runWriter(argv, logFile, label))
          checkLines(await readFile(logFile, 'utf8'), settings.lines, label)
        }
      }
      const perLine = (ms: number) => (ms * 1e6) / settings.lines
      rows.push({
        runtime: runtime.name,
        loggers: LOGGERS.map((logger) => {
          const runs = times.get(logger) ?? []
          return {
            logger,
            wallNs: median(runs.map((run) => perLine(run.wallMs))),
            cpuNs: median(runs.map((run) => perLine(run.cpuMs))),
          }
        }),
      })
    }
    return { settings, rows }
  } finally {
    await rm(folder, { recursive: true, force: true })
  }
}
