// How fast the machine ran during a run. Every ratio is taken against a reference of the same run, yet the machine's
// state moves the ratios too: on the slow days of bench/HISTORY.md the JavaScript servers lost more than nginx, and
// the module's start more than bare Hono's. These figures tell which kind of day a RESULTS.md comes from.
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { connect } from 'node:net'
import { startServer } from '../test/helpers/server-process.ts'
import { median } from './statistics.ts'

export interface Pace {
  /** A JIT-compiled loop, ns an iteration: the processor's own speed. */
  readonly loopNs: number
  /**
   * Writing to memory never touched before, µs a 4 KiB page: what the kernel and the hypervisor take to map it.
   * Measured where transparent huge pages are `madvise` or `never`, as on this machine; with `always` the kernel
   * may map 2 MiB at once and the figure falls.
   */
  readonly freshPageUs: number
  /**
   * A byte sent to another process over loopback TCP and echoed back, µs: what waking a process costs the kernel and
   * the hypervisor, twice. Every proxied event and every request of a benchmark wakes its peers so; on a day when the
   * processor and the pages were fast, the relay on Node took twice its usual CPU per event, most of the difference in
   * the kernel (bench/HISTORY.md).
   */
  readonly roundTripUs: number
}

/** The `cpu` line of /proc/stat, in clock ticks since boot. */
export interface CpuTimes {
  readonly total: number
  /** Time the hypervisor gave to others while this machine's cores had work. */
  readonly steal: number
}

const PAGE_BYTES = 4096
const FRESH_BYTES = 64 * 1024 * 1024
const LOOP_ITERATIONS = 20_000_000
const TRIES = 5
const ECHO_PROCESSES = 3
const ROUND_TRIPS = 3000
const WARM_UP_ROUND_TRIPS = 300
// The other end: echoes what it reads, and logs `listening` with its URL as the module's servers do (startServer).
const ECHO_SERVER = `const server = require('node:net').createServer((socket) => {
  socket.setNoDelay(true)
  socket.on('data', (data) => socket.write(data))
}).listen(0, '127.0.0.1', () =>
  console.log(JSON.stringify({ msg: 'listening', url: 'tcp://127.0.0.1:' + server.address().port })))`

function loopNs(): number {
  let sum = 0
  const started = performance.now()
  for (let i = 0; i < LOOP_ITERATIONS; i++) sum = (sum + i) | 0
  const ns = ((performance.now() - started) * 1e6) / LOOP_ITERATIONS
  // Using the sum keeps the loop from being optimised away.
  return sum === 0.5 ? Number.NaN : ns
}

function freshPageUs(): number {
  const started = performance.now()
  // An allocation this large is mapped anew, so every page's first write faults.
  const memory = new Uint8Array(FRESH_BYTES)
  for (let offset = 0; offset < FRESH_BYTES; offset += PAGE_BYTES) memory[offset] = 1
  return ((performance.now() - started) * 1000) / (FRESH_BYTES / PAGE_BYTES)
}

/** The median of one-byte round trips to a process of its own, one after the other, after a few that warm up. */
async function roundTripsUs(): Promise<number> {
  const echo = await startServer([process.execPath, '-e', ECHO_SERVER], {})
  const socket = connect(Number(new URL(echo.url).port), '127.0.0.1').setNoDelay(true)
  try {
    await once(socket, 'connect')
    const times: number[] = []
    for (let trip = 0; trip < ROUND_TRIPS; trip++) {
      const sent = performance.now()
      socket.write('x')
      await once(socket, 'data')
      if (trip >= WARM_UP_ROUND_TRIPS) times.push((performance.now() - sent) * 1000)
    }
    return median(times)
  } finally {
    socket.destroy()
    await echo.stop()
  }
}

/**
 * The machine's pace now: the loop and the page each the median of five tries (after one that warms the loop up),
 * the round trip the median of three echo processes', each the median of a few thousand: one echo process's figure can
 * be twice the next one's, a minute later on the same machine.
 * @example const { loopNs, freshPageUs, roundTripUs } = await measurePace()
 */
export async function measurePace(): Promise<Pace> {
  loopNs()
  const tries = Array.from({ length: TRIES }, () => ({ loop: loopNs(), page: freshPageUs() }))
  // One echo process after another: side by side they would wake each other too.
  const roundTrips: number[] = []
  for (let echo = 0; echo < ECHO_PROCESSES; echo++) roundTrips.push(await roundTripsUs())
  return {
    loopNs: median(tries.map(({ loop }) => loop)),
    freshPageUs: median(tries.map(({ page }) => page)),
    roundTripUs: median(roundTrips),
  }
}

/**
 * The `cpu` line of a /proc/stat text: user nice system idle iowait irq softirq steal (guest time is inside user).
 * @example parseCpuTimes('cpu  22690 0 8771 53331 1368 0 995 2362 0 0\n') // { total: 89517, steal: 2362 }
 */
export function parseCpuTimes(stat: string): CpuTimes | undefined {
  const fields = /^cpu +([\d ]+)$/m.exec(stat)?.[1]?.trim().split(/ +/).map(Number).slice(0, 8)
  if (fields === undefined || fields.length < 8) return undefined
  return { total: fields.reduce((sum, ticks) => sum + ticks, 0), steal: fields[7] ?? 0 }
}

/** This machine's CPU times, or undefined where there is no /proc/stat (not Linux). */
function readCpuTimes(): CpuTimes | undefined {
  try {
    return parseCpuTimes(readFileSync('/proc/stat', 'utf8'))
  } catch {
    return undefined
  }
}

/**
 * The share of the cores' time the hypervisor took between two readings, in percent.
 * @example stealPercent({ total: 1000, steal: 10 }, { total: 2000, steal: 60 }) // 5
 */
export function stealPercent(before: CpuTimes | undefined, after: CpuTimes | undefined): number | undefined {
  if (before === undefined || after === undefined || after.total <= before.total) return undefined
  return ((after.steal - before.steal) / (after.total - before.total)) * 100
}

/**
 * One sentence for RESULTS.md: the pace at the start and the end of a run, and the hypervisor's share during it.
 * @example paceSentence(await measurePace(), await measurePace(), 2.6)
 */
export function paceSentence(start: Pace, end: Pace, steal: number | undefined): string {
  const taken =
    steal === undefined
      ? 'how much of the cores the hypervisor took is not known here (no /proc/stat)'
      : `the hypervisor took ${steal.toFixed(1)} % of the cores' time during the run (steal, /proc/stat)`
  return (
    `a JavaScript loop took ${start.loopNs.toFixed(2)} ns an iteration at the start and ${end.loopNs.toFixed(2)} at ` +
    `the end; writing to a fresh memory page ${start.freshPageUs.toFixed(2)} µs and ${end.freshPageUs.toFixed(2)}; ` +
    `a byte to another process and back over loopback TCP ${start.roundTripUs.toFixed(0)} µs and ` +
    `${end.roundTripUs.toFixed(0)}; ${taken}`
  )
}

/** What a run's pace at its end is told against: the pace and the CPU times at its start. */
export interface PaceAtStart {
  readonly pace: Pace
  readonly cpu: CpuTimes | undefined
}

/**
 * Reads the pace as a run starts.
 * @example const start = await paceAtStart()
 */
export async function paceAtStart(): Promise<PaceAtStart> {
  return { pace: await measurePace(), cpu: readCpuTimes() }
}

/**
 * The sentence for a run that began at `start` and ends now.
 * @example console.error(await paceSince(start))
 */
export async function paceSince(start: PaceAtStart): Promise<string> {
  return paceSentence(start.pace, await measurePace(), stealPercent(start.cpu, readCpuTimes()))
}
