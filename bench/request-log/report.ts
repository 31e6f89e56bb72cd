import { type Goal, type Heading, type Section, verdict } from '../section.ts'
import type { RequestLogResult } from './measure.ts'

/** This benchmark's title and command in bench/RESULTS.md. */
export const REQUEST_LOG: Heading = {
  title: 'Request log against pino',
  command: 'npm run bench:request-log',
}

const DESCRIPTION = `The request log's line (issue 2: time, level, msg, method, route template, status, durationMs) written
by the module's logger as the standalone server writes it (\`requestLog\` over \`createLogger\` and the buffered
\`stdoutLog\` sink), against pino 10, the Node ecosystem's reference, writing the same members (\`base: undefined\`, ISO
time, the level's name): with its default destination (a synchronous write per line) and with its documented
asynchronous one (\`pino.destination({ minLength: 4096, sync: false })\`). Each logger writes the lines in a
process of its own on every runtime (\`bench/request-log/writer.ts\`), yielding to the event loop every 100 lines,
stdout going to a file; the loggers take turns round by round. The script checks that every line arrived and holds
those members. Time per line is wall time; CPU is the process's user and system time over the same lines. Goal
(issue 26): the module's log costs no more than the faster of pino's two.`

const ns = (value: number): string => `${value.toFixed(0)} ns`
const times = (value: number): string => `${value.toFixed(2)}x`

/** A table per run: every runtime, every logger. */
export function requestLogSection(result: RequestLogResult): Section {
  const { lines, rounds } = result.settings
  const body = [
    `${lines.toLocaleString('en')} lines per run, median of ${rounds} rounds:`,
    '',
    '| runtime | logger | per line | CPU per line | vs ours (its time / ours) |',
    '| --- | --- | --- | --- | --- |',
  ]
  const goals: Goal[] = []
  for (const row of result.rows) {
    const [ours, ...references] = row.loggers
    if (ours === undefined) continue
    for (const logger of row.loggers)
      body.push(
        `| ${row.runtime} | ${logger.logger} | ${ns(logger.wallNs)} | ${ns(logger.cpuNs)} | ${logger === ours ? '' : times(logger.wallNs / ours.wallNs)} |`,
      )
    const fastestPino = Math.min(...references.map((logger) => logger.wallNs))
    const ratio = fastestPino / ours.wallNs
    goals.push({
      measure: `request log on ${row.runtime}, pino's faster destination / ours, time per line`,
      goal: '≥ 1x',
      value: times(ratio),
      met: ratio >= 1,
    })
  }
  body.push(
    '',
    `Goal: ours no slower than pino's faster destination: ${goals.map((goal) => verdict(goal.met)).join(', ')}.`,
  )
  return { ...REQUEST_LOG, description: DESCRIPTION, body: body.join('\n'), goals }
}
