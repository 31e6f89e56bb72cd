import { type Heading, type Section, verdict } from '../section.ts'
import type { ColdStartResult } from './measure.ts'

/** This benchmark's title and command in bench/RESULTS.md. */
export const COLD_START: Heading = { title: 'Cold start', command: 'npm run bench:cold-start' }

/**
 * Issue 26: the module answers its first request within 1.2 times a bare Hono app's cold start (one route, bundled
 * the same way) on every runtime, and within 1.3 times a bare server's on Node's current LTS.
 */
const COLD_START_GOAL = { bareHono: 1.2, bareServerOnLts: 1.3 } as const
const isLts = (runtime: string): boolean => runtime.includes('(LTS)')

const DESCRIPTION = `Time from spawning the server to its first answered \`GET /version\`, median of a few runs per runtime
(the three servers of a runtime taking turns run by run), against a bare "hello" server on the same runtime (\`node:http\`, \`Deno.serve\`, \`Bun.serve\`) spawned the same way.
Each runtime starts with its documented command, \`LOG_LEVEL=silent\`, which runs its bundle (built first, as the
start commands do): Node's and Deno's by esbuild in \`dist/server/\`, Bun's by Bun in \`dist/bun/\` with its bytecode. No database and no push, so mysql2 and the push's protobuf and snappy,
loaded on first use, are not loaded. Goals (issue 26): at most ${COLD_START_GOAL.bareHono}x the bare Hono app on every runtime,
and at most ${COLD_START_GOAL.bareServerOnLts}x the bare server on Node's current LTS. The bare Hono app shows what any Hono app starts in: the routes benchmark's bare Hono app with one route (\`bench/routes/bare-hono.mjs\`),
bundled as the module is: on Node with the flags of \`npm run build:server\` and served by @hono/node-server, on Bun by
\`scripts/build-bun-server.ts\` with its bytecode; Deno runs it from its source. Node runs twice: this machine's Node,
and the current LTS, which the conformance suite also runs on (installed from npm into \`.cache/\` on first use; the
row is left out, with a warning, where it cannot be installed).`

/** The table, with the goal per runtime. */
export function coldStartSection(result: ColdStartResult): Section {
  const ms = (value: number): string => `${value.toFixed(0)} ms`
  const times = (ratio: number): string => `${ratio.toFixed(2)}x`
  const lines = [
    `| runtime | command | module (median of ${result.runs}) | bare server | bare Hono | module vs bare server | bare Hono vs bare server | module vs bare Hono | goal: ≤ ${COLD_START_GOAL.bareHono}x bare Hono | goal on the LTS: ≤ ${COLD_START_GOAL.bareServerOnLts}x bare server |`,
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ]
  const goals = result.rows.flatMap((row) => {
    const versusServer = row.moduleMs / row.bareMs
    const versusHono = row.moduleMs / row.bareHonoMs
    lines.push(
      `| ${row.runtime} | \`${row.command}\` | ${ms(row.moduleMs)} | ${ms(row.bareMs)} | ${ms(row.bareHonoMs)} | ${times(versusServer)} | ${times(row.bareHonoMs / row.bareMs)} | ${times(versusHono)} | ${verdict(versusHono <= COLD_START_GOAL.bareHono)} | ${isLts(row.runtime) ? verdict(versusServer <= COLD_START_GOAL.bareServerOnLts) : ''} |`,
    )
    return [
      {
        measure: `cold start on ${row.runtime}, vs a bare Hono app`,
        goal: `≤ ${COLD_START_GOAL.bareHono}x`,
        value: times(versusHono),
        met: versusHono <= COLD_START_GOAL.bareHono,
      },
      ...(isLts(row.runtime)
        ? [
            {
              measure: `cold start on ${row.runtime}, vs a bare server`,
              goal: `≤ ${COLD_START_GOAL.bareServerOnLts}x`,
              value: times(versusServer),
              met: versusServer <= COLD_START_GOAL.bareServerOnLts,
            },
          ]
        : []),
    ]
  })
  return {
    ...COLD_START,
    description: DESCRIPTION,
    body: lines.join('\n'),
    goals,
  }
}
