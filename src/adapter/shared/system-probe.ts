import { fileErrorCode } from '../../runtime/files.ts'
import type { HostStats, ProcessStats, SystemProbe } from '../../runtime/system-probe.ts'
import { unrefTimer } from './unref-timer.ts'

const LAG_INTERVAL_MS = 100

/** Reads a figure, or leaves it out where this runtime lacks the API or stubs it. */
function measure<T>(read: () => T): T | undefined {
  try {
    return read()
  } catch {
    return undefined
  }
}

/**
 * Timer drift: how much later than planned an interval fires is how long the event loop was busy. Works the
 * same on Node, Deno and Bun, unlike monitorEventLoopDelay and eventLoopUtilization (stubs on Deno and Bun).
 * Started on first use and unref'd, so it never keeps a process alive.
 */
function createLagMonitor(): () => number {
  let worstMs = 0
  let timer: ReturnType<typeof setInterval> | undefined
  return () => {
    if (timer === undefined) {
      let expected = performance.now() + LAG_INTERVAL_MS
      timer = setInterval(() => {
        const now = performance.now()
        worstMs = Math.max(worstMs, now - expected)
        expected = now + LAG_INTERVAL_MS
      }, LAG_INTERVAL_MS)
      unrefTimer(timer)
    }
    const reading = worstMs / 1000
    worstMs = 0
    return reading
  }
}

type Os = typeof import('node:os')

/** What `load` resolves to, loaded on the first call and kept for the calls after it. */
function onFirstUse<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined
  return () => {
    loaded ??= load()
    return loaded
  }
}

const nodeOs = onFirstUse(() => import('node:os'))
const nodeDisk = onFirstUse(async () => {
  const [{ resolve }, { statfs }] = await Promise.all([import('node:path'), import('node:fs/promises')])
  return { resolve, statfs }
})

interface CpuTimes {
  readonly busy: number
  readonly total: number
}

/** What the host's processors did since it booted: the baseline of the first reading. */
const SINCE_BOOT: CpuTimes = { busy: 0, total: 0 }

function cpuTimes(os: Os): CpuTimes {
  let busy = 0
  let total = 0
  for (const { times } of os.cpus()) {
    const all = times.user + times.nice + times.sys + times.irq + times.idle
    total += all
    busy += all - times.idle
  }
  return { busy, total }
}

interface ProcessCpu {
  readonly micros: number
  readonly atMs: number
}

function processCpu(): ProcessCpu {
  const { user, system } = process.cpuUsage()
  return { micros: user + system, atMs: performance.now() }
}

/**
 * The share of the available processors' time the process used between two readings: the JVM's
 * getProcessCpuLoad(), which Micrometer reports as process.cpu.usage. Threads beyond the event loop (GC, libuv's
 * pool) count too; rounding can overshoot, so it is held to 0-1.
 */
function cpuShare(os: Os, from: ProcessCpu | undefined, to: ProcessCpu | undefined): number | undefined {
  const processors = measure(os.availableParallelism)
  if (from === undefined || to === undefined || !processors) return undefined
  const availableMicros = (to.atMs - from.atMs) * 1000 * processors
  return availableMicros > 0
    ? Math.min(1, Math.max(0, (to.micros - from.micros) / availableMicros))
    : undefined
}

/**
 * node:fs, node:os, node:path and process work alike on Node, Deno (with --allow-read --allow-sys) and Bun. They are
 * loaded, and `process` read, on the first scrape or disk check, not at start: on Deno the first of them sets up its
 * Node compatibility, which took a tenth of the server's start (bench/HISTORY.md). Until the first reading the
 * process's CPU is measured from its start, and the host's from its boot.
 */
export function createSystemProbe(): SystemProbe {
  const startTimeSeconds = performance.timeOrigin / 1000
  const lag = createLagMonitor()
  let previousCpu: CpuTimes | undefined = SINCE_BOOT
  let previousProcessCpu: ProcessCpu | undefined = { micros: 0, atMs: 0 }
  return {
    async diskSpace(path) {
      const { resolve, statfs } = await nodeDisk()
      const absolute = resolve(path)
      try {
        const stats = await statfs(absolute)
        return {
          path: absolute,
          exists: true,
          totalBytes: stats.blocks * stats.bsize,
          freeBytes: stats.bavail * stats.bsize,
        }
      } catch (error) {
        if (fileErrorCode(error) === 'ENOENT') {
          return { path: absolute, exists: false, totalBytes: 0, freeBytes: 0 }
        }
        throw error
      }
    },
    async processStats(): Promise<ProcessStats> {
      const os = await nodeOs()
      const cpu = measure(processCpu)
      const cpuUsage = cpuShare(os, previousProcessCpu, cpu)
      previousProcessCpu = cpu
      const memory = measure(() => process.memoryUsage())
      return {
        cpuSeconds: cpu && cpu.micros / 1e6,
        cpuUsage,
        residentBytes: memory?.rss,
        heapUsedBytes: memory?.heapUsed,
        heapTotalBytes: memory?.heapTotal,
        uptimeSeconds: measure(() => process.uptime()),
        startTimeSeconds,
        eventLoopLagSeconds: lag(),
      }
    },
    async hostStats(): Promise<HostStats> {
      const os = await nodeOs()
      const current = measure(() => cpuTimes(os))
      const busy = current && previousCpu ? current.busy - previousCpu.busy : undefined
      const total = current && previousCpu ? current.total - previousCpu.total : undefined
      previousCpu = current
      const load = measure(os.loadavg)
      return {
        cpuCount: measure(os.availableParallelism),
        cpuUsage: busy !== undefined && total ? busy / total : undefined,
        loadAverage: load && [load[0] ?? 0, load[1] ?? 0, load[2] ?? 0],
        memoryTotalBytes: measure(os.totalmem),
        memoryFreeBytes: measure(os.freemem),
      }
    },
  }
}
