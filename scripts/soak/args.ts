// The soak's command line: `npm run soak -- --duration 120 --runtimes node,deno,bun --report soak.md`.
import { parseArgs } from 'node:util'
import { RUNTIMES, type RuntimeTarget } from '../../test/helpers/runtimes.ts'

export type RuntimeName = RuntimeTarget['name']

export interface SoakArgs {
  /** How long traffic runs, warm-up and recovery included. */
  readonly durationSeconds: number
  readonly runtimes: readonly RuntimeName[]
  /** Requests per second sent to each server. */
  readonly rate: number
  /** Where the Markdown report is written as well; unset: printed only. */
  readonly reportPath: string | undefined
}

const RUNTIME_NAMES: readonly RuntimeName[] = RUNTIMES.map((runtime) => runtime.name)
/** Below a minute the fault slots get shorter than a MariaDB freeze past the health timeout plus its recovery. */
const MIN_DURATION_SECONDS = 60
const MAX_DURATION_SECONDS = 24 * 3600

const integer = (name: string, text: string, min: number, max: number): number => {
  const value = Number(text)
  if (!Number.isInteger(value) || value < min || value > max)
    throw new Error(
      `Cannot start the soak: --${name} must be an integer between ${min} and ${max}, got "${text}"`,
    )
  return value
}

/**
 * Reads the soak's options; throws one message naming what is wrong.
 * @example parseSoakArgs(['--duration', '120']).durationSeconds // 120
 */
export function parseSoakArgs(argv: readonly string[]): SoakArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      duration: { type: 'string', default: '300' },
      runtimes: { type: 'string', default: RUNTIME_NAMES.join(',') },
      rate: { type: 'string', default: '40' },
      report: { type: 'string' },
    },
    strict: true,
  })
  const runtimes = values.runtimes.split(',').map((name) => name.trim())
  const unknown = runtimes.filter((name) => !RUNTIME_NAMES.includes(name as RuntimeName))
  if (unknown.length > 0 || runtimes.length === 0)
    throw new Error(
      `Cannot start the soak: --runtimes takes a comma-separated list of ${RUNTIME_NAMES.join(', ')}, got "${values.runtimes}"`,
    )
  return {
    durationSeconds: integer('duration', values.duration, MIN_DURATION_SECONDS, MAX_DURATION_SECONDS),
    runtimes: [...new Set(runtimes as RuntimeName[])],
    rate: integer('rate', values.rate, 1, 500),
    reportPath: values.report,
  }
}
