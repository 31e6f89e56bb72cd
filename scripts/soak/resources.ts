// Resident memory and open file descriptors of each runtime's process, sampled from /proc, and the check that
// neither keeps growing once the server has warmed up.
import { readdir, readFile } from 'node:fs/promises'
import { median } from '../../bench/statistics.ts'

export interface ResourceSample {
  /** ms since the traffic started. */
  readonly atMs: number
  readonly rssKb: number
  readonly fds: number
}

/** VmRSS and the number of entries in /proc/<pid>/fd; undefined once the process is gone. */
export async function sampleProcess(pid: number, atMs: number): Promise<ResourceSample | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8')
    const rssKb = Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1])
    const fds = (await readdir(`/proc/${pid}/fd`)).length
    return Number.isFinite(rssKb) ? { atMs, rssKb, fds } : undefined
  } catch {
    return undefined
  }
}

export interface Growth {
  /** Medians of the first, middle and last third of the samples after warm-up. */
  readonly thirds: readonly [number, number, number]
  /** How much the last third's median exceeds the higher of the first two thirds' medians. */
  readonly growth: number
  /** How much the measure still rose across the last third: its Theil-Sen slope times the third's span. */
  readonly lastThirdRise: number
  readonly tolerance: number
  readonly keepsGrowing: boolean
}

/** The median of the slopes between every two points: one garbage collection or spike cannot tilt it. */
function theilSenSlope(points: readonly { readonly x: number; readonly y: number }[]): number {
  const slopes: number[] = []
  for (const [index, a] of points.entries())
    for (const b of points.slice(index + 1)) if (b.x !== a.x) slopes.push((b.y - a.y) / (b.x - a.x))
  return slopes.length === 0 ? 0 : median(slopes)
}

/**
 * Whether a measure keeps growing after warm-up: the last third's median exceeds both earlier thirds' medians by more
 * than the tolerance, and the last third itself still rises by more than half the tolerance. Medians and the
 * Theil-Sen slope ride over a fault's brief spike. Against the higher of the earlier thirds, because V8's heap runs a
 * saw-tooth of about a minute and 30 MiB on Node: a middle third that holds the trough after a major collection is no
 * baseline. The rise within the last third tells a leak, which rises to the end, from a heap that grows to its working
 * size and then stays: Deno's rose 40 MiB in the second minute of a five-minute soak, stayed flat, and fell back
 * before the end. `tolerance` takes the median of the higher earlier third.
 */
export function growthAfterWarmUp<Sample extends { readonly atMs: number }>(
  samples: readonly Sample[],
  warmUpMs: number,
  measure: (sample: Sample) => number,
  tolerance: (baseline: number) => number,
): Growth | undefined {
  const after = samples.filter((sample) => sample.atMs >= warmUpMs)
  if (after.length < 6) return undefined
  const values = after.map(measure)
  const third = Math.floor(values.length / 3)
  const thirds = [
    median(values.slice(0, third)),
    median(values.slice(third, values.length - third)),
    median(values.slice(values.length - third)),
  ] as const
  const last = after.slice(after.length - third).map((sample) => ({ x: sample.atMs, y: measure(sample) }))
  const span = (last.at(-1)?.x ?? 0) - (last[0]?.x ?? 0)
  const lastThirdRise = theilSenSlope(last) * span
  const baseline = Math.max(thirds[0], thirds[1])
  const growth = thirds[2] - baseline
  const allowed = tolerance(baseline)
  return {
    thirds,
    growth,
    lastThirdRise,
    tolerance: allowed,
    keepsGrowing: growth > allowed && lastThirdRise > allowed / 2,
  }
}
