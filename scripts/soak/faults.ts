// The fault schedule, scaled to the soak's duration: after a warm-up, and before a quiet stretch at the end in which
// everything must recover, MariaDB is restarted, MariaDB is frozen past the health timeout, the fake Plausible is
// taken down, the remote-write receiver is taken down, and taken down again while the push-only servers are killed
// with SIGKILL and restarted on their spools (push-kill.ts), one after the other, each brought back on the same port.
import { setTimeout as sleep } from 'node:timers/promises'
import type { Peers } from './peers.ts'
import type { FaultedComponent } from './requests.ts'
import { SOAK_SETTINGS } from './servers.ts'

export type FaultKind =
  | 'restart MariaDB'
  | 'freeze MariaDB'
  | 'stop Plausible'
  | 'stop receiver'
  | 'kill push'

export interface PlannedFault {
  readonly kind: FaultKind
  /** When it starts, in ms since the traffic started. */
  readonly atMs: number
  /** How long the peer stays down (a restart takes what it takes). */
  readonly downMs: number
}

/** A fault as it happened, in ms since the traffic started; `endMs` is unset while it lasts. */
export interface FaultRecord {
  readonly kind: FaultKind
  readonly startedAt: string
  readonly startMs: number
  endMs?: number
  /** What went wrong bringing a peer down or back, if anything did. */
  error?: string
}

export interface Phases {
  readonly warmUpMs: number
  /** When the last fault must be over: the rest is the quiet stretch. */
  readonly faultsEndMs: number
  readonly durationMs: number
}

// How long each peer stays down, at most: past the health timeout (1 s) for the freeze, several push intervals (1 s)
// for the receiver, several relay retries (backoff from 250 ms) for Plausible.
const DOWN_MS: Readonly<Record<FaultKind, number>> = {
  'restart MariaDB': 0,
  'freeze MariaDB': 5000,
  'stop Plausible': 8000,
  'stop receiver': 6000,
  'kill push': 8000,
}
const ORDER: readonly FaultKind[] = [
  'restart MariaDB',
  'freeze MariaDB',
  'stop Plausible',
  'stop receiver',
  'kill push',
]
/** One round of the faults per this much of the fault stretch, at least one round. */
const ROUND_MS = 60_000

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value))

/** Warm-up and quiet stretch: 15% of the duration each, between 5 s and 30 s. */
export function phasesOf(durationSeconds: number): Phases {
  const durationMs = durationSeconds * 1000
  const edgeMs = clamp(durationMs * 0.15, 5000, 30_000)
  return { warmUpMs: edgeMs, faultsEndMs: durationMs - edgeMs, durationMs }
}

/**
 * The faults, evenly spaced over the fault stretch: each gets a slot and stays down for at most 60% of it.
 * @example planFaults(phasesOf(120)).map((fault) => fault.kind) // one of each
 */
export function planFaults(phases: Phases): PlannedFault[] {
  const stretchMs = phases.faultsEndMs - phases.warmUpMs
  const rounds = Math.max(1, Math.floor(stretchMs / ROUND_MS))
  const slotMs = stretchMs / (rounds * ORDER.length)
  return Array.from({ length: rounds * ORDER.length }, (_, index) => {
    const kind = ORDER[index % ORDER.length] as FaultKind
    return { kind, atMs: phases.warmUpMs + index * slotMs, downMs: Math.min(DOWN_MS[kind], slotMs * 0.6) }
  })
}

/** The health component a fault takes down, if any: Plausible's outage shows in the relay's counters only. */
const COMPONENT: Readonly<Record<FaultKind, FaultedComponent | undefined>> = {
  'restart MariaDB': 'db',
  'freeze MariaDB': 'db',
  'stop Plausible': undefined,
  'stop receiver': 'remoteWrite',
  'kill push': 'remoteWrite',
}

/**
 * How long after a fault its component may still read DOWN. db: a cached result (HEALTH_CACHE_TTL_MS) of a check
 * that itself waited HEALTH_TIMEOUT_MS, and one more check on a pooled connection the restart broke. remoteWrite:
 * the push's backoff (at most 5 s) before it retries, one interval, and the cache.
 */
const RECOVERY_MS: Readonly<Record<FaultedComponent, number>> = {
  db: SOAK_SETTINGS.healthCacheTtlMs + 2 * SOAK_SETTINGS.healthTimeoutMs + 1000,
  remoteWrite:
    SOAK_SETTINGS.pushMaxBackoffMs +
    SOAK_SETTINGS.pushIntervalSeconds * 1000 +
    SOAK_SETTINGS.healthCacheTtlMs +
    1000,
}

/**
 * Whether `component` may read DOWN for a request that ran from `fromMs` to `toMs`: a fault that takes it down
 * overlapped the request, its recovery time included.
 */
export function mayBeDown(
  records: readonly FaultRecord[],
  component: FaultedComponent,
  fromMs: number,
  toMs: number,
): boolean {
  return records.some(
    (record) =>
      COMPONENT[record.kind] === component &&
      record.startMs <= toMs &&
      (record.endMs === undefined || record.endMs + RECOVERY_MS[component] >= fromMs),
  )
}

/** Kills the push-only servers during an outage of the receiver, `downMs` long (push-kill.ts). */
export type KillPush = (downMs: number) => Promise<void>

async function bringDown(kind: FaultKind, peers: Peers, downMs: number, killPush: KillPush): Promise<void> {
  if (kind === 'restart MariaDB') return peers.db.restart()
  if (kind === 'kill push') return killPush(downMs)
  if (kind === 'freeze MariaDB') {
    await peers.db.freeze()
    await sleep(downMs)
    return peers.db.resume()
  }
  const peer = kind === 'stop Plausible' ? peers.plausible : peers.receiver
  await peer.stop()
  await sleep(downMs)
  await peer.start()
}

/**
 * Runs the planned faults at their times, appending each to `records` as it starts and logging its start and end;
 * stops planning new ones when `signal` aborts.
 */
export async function runFaults(
  plan: readonly PlannedFault[],
  peers: Peers,
  killPush: KillPush,
  clock: () => number,
  records: FaultRecord[],
  signal: AbortSignal,
  log: (line: string) => void,
): Promise<void> {
  for (const fault of plan) {
    const waitMs = fault.atMs - clock()
    if (waitMs > 0) await sleep(waitMs, undefined, { signal }).catch(() => undefined)
    if (signal.aborted) return
    const record: FaultRecord = { kind: fault.kind, startedAt: new Date().toISOString(), startMs: clock() }
    records.push(record)
    log(
      `fault: ${fault.kind} (down for ${fault.downMs > 0 ? `${Math.round(fault.downMs)} ms` : 'the restart'})`,
    )
    try {
      await bringDown(fault.kind, peers, fault.downMs, killPush)
    } catch (error) {
      record.error = String(error)
    }
    record.endMs = clock()
    log(
      `fault over: ${fault.kind} after ${Math.round(record.endMs - record.startMs)} ms${record.error ? `, ${record.error}` : ''}`,
    )
  }
}
