// wrk, the load generator every HTTP benchmark here uses: a process of its own, one thread, and a Lua `done` hook
// that prints its summary as one JSON line, so no benchmark parses wrk's human-readable report.
import type { ChildProcesses } from '../test/helpers/child-processes.ts'

/** What the `done` hook prints: counts, and latencies in microseconds. */
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

/** The Lua `done` hook: append it to a wrk script. */
export const WRK_SUMMARY_HOOK = `function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRK {"requests":%d,"durationUs":%d,"status":%d,"socket":%d,"p50":%d,"p99":%d}\\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
`

/** One closed-loop wrk run of `seconds` with one thread and `connections` connections. */
export interface WrkRun {
  /** A Lua script file that ends with `WRK_SUMMARY_HOOK`. */
  readonly script: string
  readonly url: string
  readonly connections: number
  readonly seconds: number
}

/**
 * Runs wrk to its end and reads its summary.
 * @example const run = await runWrk(processes, { script, url: `${url}/version`, connections: 32, seconds: 4 })
 */
export async function runWrk(processes: ChildProcesses, run: WrkRun): Promise<WrkResult> {
  const argv = ['wrk', '-t1', `-c${run.connections}`, `-d${run.seconds}s`, '--latency', '--timeout', '2s']
  const { stdout, stderr } = await processes.run([...argv, '-s', run.script, run.url], {
    timeoutMs: (run.seconds + 10) * 1000,
  })
  process.stderr.write(stderr)
  const line = stdout.split('\n').find((text) => text.startsWith('WRK '))
  if (line === undefined) throw new Error(`wrk printed no summary:\n${stdout}`)
  return JSON.parse(line.slice(4)) as WrkResult
}

/** Answers below 400 per second. */
export const goodPerSecond = (run: WrkResult): number =>
  (run.requests - run.status) / (run.durationUs / 1_000_000)
