import { readFileSync } from 'node:fs'

/** A process's peak resident set size so far (`VmHWM` in /proc/<pid>/status), in KiB. Linux only. */
export function peakRssKiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kib = /^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1]
  if (kib === undefined) throw new Error(`Cannot read the peak RSS: /proc/${pid}/status has no VmHWM line`)
  return Number(kib)
}
