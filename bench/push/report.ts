import { type Heading, plural, type Section } from '../section.ts'
import type { PushResult } from './measure.ts'

/** This benchmark's title and command in bench/RESULTS.md. */
export const PUSH: Heading = { title: 'Metrics push vs a Prometheus agent', command: 'npm run bench:push' }

const DESCRIPTION = `For each series count (gauge series, two labels each), the module's push against Prometheus in
agent mode doing the same job on the same machine (the reference):

- the push: one push collects every series (the same families \`/actuator/prometheus\` answers, after the label
  policy), adds \`installation\`, \`instance\` and \`job\`, encodes them (@bufbuild/protobuf's writer, snappyjs) and
  sends them to a receiver in requests of 2,000 samples (undici); CPU of the pushing process and body bytes per
  push, median of the pushes after warm-ups;
- the agent: scraping the same series every second from \`/actuator/prometheus\` served by the bench process and
  remote-writing to the same kind of receiver; its CPU from \`/proc/<pid>/stat\` and the bytes received over a
  window after a warm-up, per scrape. The module's CPU to answer one scrape (median of the renders) is added: that
  is the agent path's cost inside meshPanel. The receivers run in processes of their own.`

/** The table, one row per series count. */
export function pushSection(result: PushResult): Section {
  const { settings } = result
  const lines = [
    `${settings.pushes} pushes after ${plural(settings.warmups, 'warm-up')}; the agent over ${settings.agentWindowMs / 1000} s after ${settings.agentWarmupMs / 1000} s.\n`,
    '| series | push: CPU per push | push: bytes sent | agent: CPU per scrape and forward | module: CPU per scrape answered | agent path: CPU | agent: bytes sent | push CPU vs agent path | push bytes vs agent |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ]
  for (const { series, push, agent } of result.rows) {
    const agentPath = agent.cpuMs + agent.renderMs
    lines.push(
      `| ${series} | ${push.cpuMs.toFixed(1)} ms | ${(push.bytes / 1024).toFixed(1)} KiB | ${agent.cpuMs.toFixed(1)} ms | ${agent.renderMs.toFixed(1)} ms | ${agentPath.toFixed(1)} ms | ${(agent.bytes / 1024).toFixed(1)} KiB | ${(push.cpuMs / agentPath).toFixed(2)}x | ${(push.bytes / agent.bytes).toFixed(2)}x |`,
    )
  }
  return {
    ...PUSH,
    description: DESCRIPTION,
    body: lines.join('\n'),
    goals: [],
  }
}
