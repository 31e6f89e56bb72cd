// The route benchmark as Markdown: medians over the rounds; ratios are module / bare Hono, taken per round against
// that round's bare run, then the median.
import { type Goal, type Heading, plural, type Section, verdict } from '../section.ts'
import { median } from '../statistics.ts'
import { goodPerSecond, type WrkResult } from '../wrk.ts'
import type { RoutesResult } from './measure.ts'

/** This benchmark's title and command in bench/RESULTS.md. */
export const ROUTES: Heading = { title: 'Routes against a bare Hono app', command: 'npm run bench:routes' }

/** Issue 14: the module answers these routes at 0.9x a bare Hono route's requests/s or better. */
const ROUTES_GOAL = 0.9

const DESCRIPTION = `Per runtime and route, the module as its documented command starts it (its bundle: \`node dist/server/node.js\`,
\`deno run … dist/server/deno.js\`, \`bun dist/bun/bun.js\`) with every feature on: \`DATABASE_URL\` to a throwaway MariaDB (the \`db\` component, the
database metrics), the relay (\`PLAUSIBLE_ENABLED\`, \`PLAUSIBLE_URL\` to a local fake upstream), the metrics middleware,
and the default log level (one JSON line per request; stdout goes to a file). The reference is a bare Hono app on
the same runtime (\`bench/routes/bare-hono.mjs\`: \`@hono/node-server\`'s \`serve\`, \`Deno.serve(app.fetch)\`,
\`Bun.serve\`) with one route answering the module's own bytes for that route, fetched from it first, with the same
\`content-type\` and \`cache-control\`. \`/actuator/health\` is the cached answer: the default 1 s cache, so under load
nearly every request reuses the last check. Load: \`wrk -t1 -c32 --latency\` in a process of its own, a warm-up run
each, then rounds of every server in turn (each round in the order opposite to the last); medians over the rounds,
ratios to bare Hono per round, then the median. Peak RSS is \`VmHWM\` of the runtime's own process once its
rounds are over. Goal (issue 14): requests/s at ${ROUTES_GOAL}x bare Hono or better. The last two columns show what
the contract costs, each a server of its own run in the same rounds. The module without its request log
(\`LOG_LEVEL=warn\`): every request writes one JSON line by default (issue 2), which the bare route does not. The
bare app also reading the request headers the route's contract reads: \`/actuator/health\` negotiates its media type
from \`Accept\` as Spring Boot does (v3, v2 or plain JSON, 406 otherwise), and reading any header makes Deno and Bun
build the request's headers, which a bare route that reads none never pays for.`

const rate = (runs: readonly WrkResult[]) => runs.map(goodPerSecond)
const p50 = (runs: readonly WrkResult[]) => runs.map((run) => run.p50 / 1000)
const p99 = (runs: readonly WrkResult[]) => runs.map((run) => run.p99 / 1000)
const ratio = (module: readonly number[], bare: readonly number[]) =>
  median(module.map((value, round) => value / (bare[round] ?? Number.NaN)))

/** The table, one row per runtime and route, with the goal of each. */
export function routesSection(result: RoutesResult): Section {
  const { rounds, seconds, connections } = result.settings
  const lines = [
    `${plural(rounds, 'round')} of ${seconds} s per server, ${connections} connections; module / bare Hono, ratio = module / bare Hono on the same runtime:`,
    '',
    `| runtime | route | body | req/s | ratio | p50 (ms) | ratio | p99 (ms) | ratio | peak RSS (MiB) | ratio | goal: req/s ≥ ${ROUTES_GOAL}x bare Hono | errors | the module without its request log, req/s vs bare Hono | bare Hono also reading what the route's contract reads, req/s vs bare Hono |`,
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ]
  const goals: Goal[] = []
  for (const row of result.rows) {
    const { module, unlogged, bare, reading } = row
    const pair = (values: (runs: readonly WrkResult[]) => number[], digits: number) =>
      `${median(values(module.runs)).toFixed(digits)} / ${median(values(bare.runs)).toFixed(digits)} | ${ratio(values(module.runs), values(bare.runs)).toFixed(2)}x`
    const rpsRatio = ratio(rate(module.runs), rate(bare.runs))
    const contract =
      reading === undefined
        ? 'nothing to read'
        : `${reading.headers.map((header) => `\`${header}\``).join(', ')}: ${ratio(rate(reading.runs), rate(bare.runs)).toFixed(2)}x`
    const errors = [...module.runs, ...unlogged.runs, ...bare.runs, ...(reading?.runs ?? [])].reduce(
      (sum, run) => sum + run.status + run.socket,
      0,
    )
    const mib = (kib: number) => (kib / 1024).toFixed(1)
    lines.push(
      `| ${row.runtime} | \`${row.route}\` | ${row.bodyBytes} B | ${pair(rate, 0)} | ${pair(p50, 3)} | ${pair(p99, 3)} | ${mib(module.peakRssKiB)} / ${mib(bare.peakRssKiB)} | ${(module.peakRssKiB / bare.peakRssKiB).toFixed(2)}x | ${verdict(rpsRatio >= ROUTES_GOAL)} | ${errors} | ${ratio(rate(unlogged.runs), rate(bare.runs)).toFixed(2)}x | ${contract} |`,
    )
    goals.push({
      measure: `\`${row.route}\` on ${row.runtime}, req/s vs bare Hono`,
      goal: `≥ ${ROUTES_GOAL}x`,
      value: `${rpsRatio.toFixed(2)}x`,
      met: rpsRatio >= ROUTES_GOAL,
    })
  }
  return {
    ...ROUTES,
    description: DESCRIPTION,
    body: lines.join('\n'),
    goals,
  }
}
