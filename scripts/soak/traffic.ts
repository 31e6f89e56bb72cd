// The load: each server gets `rate` requests a second from the mix, sent on schedule whatever the answers take
// (open loop), each under its own timeout, with at most MAX_IN_FLIGHT waiting at a time.
import { setTimeout as sleep } from 'node:timers/promises'
import { Agent, fetch } from 'undici'
import type { FaultRecord } from './faults.ts'
import { requestCycle, SOAK_REQUESTS, type SoakRequest } from './requests.ts'
import type { SoakServer } from './servers.ts'
import { judgeAnswer, type RuntimeTally, record, type Verdict } from './tally.ts'

/** Per server: beyond, the server is hanging and more requests would only measure the client. */
const MAX_IN_FLIGHT = 64
const TICK_MS = 20
/** Visitors behind the proxy the soak plays, from TEST-NET-2: each sends far below the relay's rate limit. */
const VISITORS = Array.from({ length: 250 }, (_, index) => `198.51.100.${index + 1}`)

/** A keep-alive pool per origin, as a reverse proxy in front of the server would hold. */
const agent = new Agent({ connections: 16, keepAliveTimeout: 2000 })

/** The error code of a failed fetch: undici puts the socket's in `cause`. */
function errorCode(error: unknown): string {
  const cause = (error as { cause?: { code?: string; name?: string } }).cause
  return cause?.code ?? cause?.name ?? (error as Error).name ?? 'unknown'
}

async function send(
  server: SoakServer,
  request: SoakRequest,
  visitor: string,
  faults: readonly FaultRecord[],
  clock: () => number,
): Promise<{ verdict: Verdict; fromMs: number; elapsedMs: number }> {
  const { url, init } = request.init(server.url, server.runtime, visitor)
  const fromMs = clock()
  const signal = AbortSignal.timeout(request.timeoutMs)
  try {
    const response = await fetch(url, { ...(init as object), signal, dispatcher: agent })
    const body = await response.text()
    const toMs = clock()
    return {
      verdict: judgeAnswer(request, response.status, body, faults, fromMs, toMs),
      fromMs,
      elapsedMs: toMs - fromMs,
    }
  } catch (error) {
    const verdict: Verdict = signal.aborted
      ? { kind: 'timeout' }
      : { kind: 'connection error', code: errorCode(error) }
    return { verdict, fromMs, elapsedMs: clock() - fromMs }
  }
}

/**
 * Sends the mix to one server until `signal` aborts, then waits for the answers still due (each ends by its
 * timeout). Outcomes go into `tally`.
 */
export async function driveTraffic(
  server: SoakServer,
  rate: number,
  tally: RuntimeTally,
  faults: readonly FaultRecord[],
  clock: () => number,
  signal: AbortSignal,
): Promise<void> {
  const cycle = requestCycle(SOAK_REQUESTS)
  const inFlight = new Set<Promise<void>>()
  const startedMs = clock()
  let sent = 0
  while (!signal.aborted) {
    const due = Math.floor(((clock() - startedMs) / 1000) * rate)
    for (; sent < due; sent++) {
      if (inFlight.size >= MAX_IN_FLIGHT) {
        tally.skipped++
        continue
      }
      const request = cycle[sent % cycle.length] as SoakRequest
      const visitor = VISITORS[sent % VISITORS.length] as string
      const done = send(server, request, visitor, faults, clock).then(({ verdict, fromMs, elapsedMs }) =>
        record(tally, request, verdict, fromMs, elapsedMs),
      )
      inFlight.add(done)
      void done.finally(() => inFlight.delete(done))
    }
    await sleep(TICK_MS)
  }
  await Promise.all(inFlight)
}

/** Closes the client's connections once the traffic is over. */
export const closeTrafficClient = (): Promise<void> => agent.close()
