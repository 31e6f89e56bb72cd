import { readFileSync } from 'node:fs'

/** CPU time (user + system, ms) used so far by a process and its running children (nginx's worker). Linux only. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ') // fields from the 3rd (state) on
  const ticks = Number(fields[11]) + Number(fields[12]) // utime and stime, in 1/100 s
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean)
  return ticks * 10 + children.reduce((sum, child) => sum + cpuMs(Number(child)), 0)
}
