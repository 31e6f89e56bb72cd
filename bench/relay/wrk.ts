// Load: wrk with a Lua script that posts the event as plausible-tracker does and prints its summary as JSON.
import type { ChildProcesses } from '../../test/helpers/child-processes.ts'
import { EVENT, USER_AGENT } from './event.ts'

/** What wrk's `done` hook prints: counts, and latencies in microseconds. */
export interface WrkResult {
  readonly requests: number
  readonly durationUs: number
  /** Responses with status >= 400 (overflow, rate limit, bad gateway...). */
  readonly status: number
  /** Connect, read, write and timeout errors. */
  readonly socket: number
  readonly p50: number
  readonly p99: number
}

/** A closed loop, or with each connection waiting a random time between its requests. */
export type Pacing = { readonly minDelayMs: number; readonly maxDelayMs: number } | undefined

/** The Lua script for `wrk -s`. */
export function wrkScript(pacing: Pacing): string {
  return `wrk.method = "POST"
wrk.body = ${JSON.stringify(EVENT)}
wrk.headers["Content-Type"] = "text/plain"
wrk.headers["User-Agent"] = ${JSON.stringify(USER_AGENT)}
${pacing ? `function delay() return math.random(${pacing.minDelayMs}, ${pacing.maxDelayMs}) end` : ''}
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRK {"requests":%d,"durationUs":%d,"status":%d,"socket":%d,"p50":%d,"p99":%d}\\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
`
}

/** One wrk run (one thread) against `url`'s `/api/event` with the script at `script`. */
export async function wrk(
  processes: ChildProcesses,
  script: string,
  url: string,
  connections: number,
  seconds: number,
): Promise<WrkResult> {
  const { stdout, stderr } = await processes.run(
    ['wrk', '-t1', `-c${connections}`, `-d${seconds}s`, '--timeout', '2s', '-s', script, `${url}/api/event`],
    { timeoutMs: (seconds + 10) * 1000 },
  )
  process.stderr.write(stderr)
  const line = stdout.split('\n').find((text) => text.startsWith('WRK '))
  if (line === undefined) throw new Error(`wrk printed no summary:\n${stdout}`)
  return JSON.parse(line.slice(4)) as WrkResult
}

/** Answers below 400 per second. */
export const goodPerSecond = (run: WrkResult): number =>
  (run.requests - run.status) / (run.durationUs / 1_000_000)
