// Load for the relay: wrk with a Lua script that posts the event as plausible-tracker does.
import type { ChildProcesses } from '../../test/helpers/child-processes.ts'
import { runWrk, WRK_SUMMARY_HOOK, type WrkResult } from '../wrk.ts'
import { EVENT, USER_AGENT } from './event.ts'

export { goodPerSecond, type WrkResult } from '../wrk.ts'

/** A closed loop, or with each connection waiting a random time between its requests. */
export type Pacing = { readonly minDelayMs: number; readonly maxDelayMs: number } | undefined

/** The Lua script for `wrk -s`. */
export function wrkScript(pacing: Pacing): string {
  return `wrk.method = "POST"
wrk.body = ${JSON.stringify(EVENT)}
wrk.headers["Content-Type"] = "text/plain"
wrk.headers["User-Agent"] = ${JSON.stringify(USER_AGENT)}
${pacing ? `function delay() return math.random(${pacing.minDelayMs}, ${pacing.maxDelayMs}) end` : ''}
${WRK_SUMMARY_HOOK}`
}

/** One wrk run (one thread) against `url`'s `/api/event` with the script at `script`. */
export const wrk = (
  processes: ChildProcesses,
  script: string,
  url: string,
  connections: number,
  seconds: number,
): Promise<WrkResult> => runWrk(processes, { script, url: `${url}/api/event`, connections, seconds })
