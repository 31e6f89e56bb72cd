// What the traffic got, per route and outcome, with each answer judged against what the route must answer and
// against the faults that were running meanwhile.
import { type FaultRecord, mayBeDown } from './faults.ts'
import type { SoakRequest } from './requests.ts'

/** An answer as the soak judges it; everything but `ok` and `expected during a fault` is an error of its kind. */
export type Verdict =
  | { readonly kind: 'ok'; readonly status: number }
  | { readonly kind: 'expected 503 during a fault'; readonly down: readonly string[] }
  | { readonly kind: 'unexpected status'; readonly status: number; readonly detail?: string }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'connection error'; readonly code: string }

export interface RouteTally {
  /** Requests by outcome label: `200`, `503 (db down)`, `timeout`, `connection error ECONNRESET`... */
  readonly outcomes: Map<string, number>
  requests: number
  maxMs: number
}

/** An error worth naming in the report, with when it happened. */
export interface Incident {
  readonly atMs: number
  readonly route: string
  readonly what: string
}

const KEPT_INCIDENTS = 30

export interface RuntimeTally {
  readonly routes: Map<string, RouteTally>
  /** Events answered 202: accepted by the relay. */
  eventsAccepted: number
  /** Events whose answer never came (timeout, connection error): the relay may or may not have taken them. */
  eventsUnknown: number
  /** Requests not sent because as many as allowed were still waiting for their answer. */
  skipped: number
  readonly incidents: Incident[]
}

export const emptyTally = (): RuntimeTally => ({
  routes: new Map(),
  eventsAccepted: 0,
  eventsUnknown: 0,
  skipped: 0,
  incidents: [],
})

/** The label an outcome is counted under. */
function outcomeLabel(verdict: Verdict): string {
  switch (verdict.kind) {
    case 'ok':
      return String(verdict.status)
    case 'expected 503 during a fault':
      return `503 (${verdict.down.join(', ')} down during a fault)`
    case 'unexpected status':
      return `unexpected ${verdict.status}${verdict.detail ? ` (${verdict.detail})` : ''}`
    case 'timeout':
      return 'timeout'
    case 'connection error':
      return `connection error ${verdict.code}`
  }
}

/** Components a health answer reports as not UP; undefined when the body is no health answer. */
function componentsDown(body: string): string[] | undefined {
  try {
    const health = JSON.parse(body) as { components?: Record<string, { status?: string }> }
    if (health.components === undefined) return undefined
    return Object.entries(health.components)
      .filter(([, component]) => component.status !== 'UP')
      .map(([name]) => name)
  } catch {
    return undefined
  }
}

/**
 * Judges an answer: the expected status is ok; a health 503 is ok while every component it names DOWN was taken
 * down by a fault that overlapped the request (recovery included); anything else is an unexpected status.
 */
export function judgeAnswer(
  request: SoakRequest,
  status: number,
  body: string,
  faults: readonly FaultRecord[],
  fromMs: number,
  toMs: number,
): Verdict {
  if (status === request.expected) return { kind: 'ok', status }
  if (status !== 503 || request.downDuringFaults === undefined) return { kind: 'unexpected status', status }
  const down = componentsDown(body)
  if (down === undefined || down.length === 0)
    return { kind: 'unexpected status', status, detail: 'no component down' }
  const unexplained = down.filter(
    (name) =>
      !request.downDuringFaults?.some(
        (component) => component === name && mayBeDown(faults, component, fromMs, toMs),
      ),
  )
  return unexplained.length === 0
    ? { kind: 'expected 503 during a fault', down }
    : { kind: 'unexpected status', status, detail: `${unexplained.join(', ')} down outside a fault` }
}

/** Counts one request's outcome into the runtime's tally. */
export function record(
  tally: RuntimeTally,
  request: SoakRequest,
  verdict: Verdict,
  atMs: number,
  elapsedMs: number,
): void {
  let route = tally.routes.get(request.route)
  if (route === undefined) {
    route = { outcomes: new Map(), requests: 0, maxMs: 0 }
    tally.routes.set(request.route, route)
  }
  const label = outcomeLabel(verdict)
  route.requests++
  route.maxMs = Math.max(route.maxMs, elapsedMs)
  route.outcomes.set(label, (route.outcomes.get(label) ?? 0) + 1)
  if (request.event && verdict.kind === 'ok') tally.eventsAccepted++
  if (request.event && (verdict.kind === 'timeout' || verdict.kind === 'connection error'))
    tally.eventsUnknown++
  if (verdict.kind === 'ok' || verdict.kind === 'expected 503 during a fault') return
  if (tally.incidents.length < KEPT_INCIDENTS)
    tally.incidents.push({ atMs, route: request.route, what: `${label} after ${Math.round(elapsedMs)} ms` })
}
