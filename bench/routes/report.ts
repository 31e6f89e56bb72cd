// The route benchmark as Markdown: medians over the rounds; ratios are module / bare Hono, taken per round against
// that round's bare run, then the median.
import { type Goal, type Heading, plural, type Section, verdict } from '../section.ts'
import { median } from '../statistics.ts'
import { goodPerSecond, type WrkResult } from '../wrk.ts'
import type { Contract, RoutesResult } from './measure.ts'

/** This benchmark's title and command in bench/RESULTS.md. */
export const ROUTES: Heading = { title: 'Routes against a bare Hono app', command: 'npm run bench:routes' }

/**
 * Issue 26: with the default request log the module answers at 0.9x a bare Hono route's requests/s or better, at
 * 0.95x without it, and peaks at 1.25x bare Hono's RSS or less under that load.
 */
const ROUTES_GOAL = { logged: 0.9, unlogged: 0.95, peakRss: 1.25 } as const

const DESCRIPTION = `Per runtime and route, the module as its documented command starts it (its bundle: \`node dist/server/node.js\`,
\`deno run … dist/server/deno.js\`, \`bun dist/bun/bun.js\`) with every feature on: \`DATABASE_URL\` to a throwaway MariaDB (the \`db\` component, the
database metrics), the relay (\`PLAUSIBLE_ENABLED\`, \`PLAUSIBLE_URL\` to a local fake upstream), the metrics middleware,
and the default log level (one JSON line per request; stdout goes to a file). The reference is a bare Hono app on
the same runtime (\`bench/routes/bare-hono.mjs\`: \`@hono/node-server\`'s \`serve\`, \`Deno.serve(app.fetch)\`,
\`Bun.serve\`) with one route answering the module's own bytes for that route, fetched from it first, with the same
\`content-type\` and \`cache-control\`. \`/actuator/health\` is the cached answer: the default 1 s cache, so under load
nearly every request reuses the last check. Load: \`wrk -t1 -c32 --latency\` in a process of its own. Each round
starts every server afresh, one at a time, in the order opposite to the last round's, warms it up and measures it:
one process of a command runs 10 to 20 % faster or slower than another of the same command in every round it serves,
so rounds of one process would not average that out. Medians over the rounds, ratios to bare Hono per round, then the
median. Peak RSS is \`VmHWM\` of the runtime's own process after its round, the median over the rounds. Goals (issue 26): requests/s at ${ROUTES_GOAL.logged}x bare Hono or better with the default request
log, at ${ROUTES_GOAL.unlogged}x without it (\`LOG_LEVEL=warn\`, a server of its own run in the same rounds: every request
writes one JSON line by default, issue 2, which the bare route does not), and a peak RSS at most ${ROUTES_GOAL.peakRss}x bare
Hono's (the module's with its log). The reference of the goals is the bare app that also does what the module's
contract needs (its column); the plain bare app stays in the table. That contract: \`/actuator/health\` negotiates its
media type from \`Accept\` as Spring Boot does (v3, v2 or plain JSON, 406 otherwise), and reading any header makes Deno
and Bun build the request's headers, which a bare route that reads none never pays for; and health's \`db\` component
holds a mysql2 pool checked with \`SELECT 1\` (issue 1) in the module's process whichever route is under load, so the
bare app then holds one too (\`DATABASE_URL\`: the same throwaway MariaDB, checked once a second as the 1 s cache does
under load). Loading mysql2 alone takes 15 MiB on Node, 20 on Deno and 23 on Bun (bench/HISTORY.md).`

const rate = (runs: readonly WrkResult[]) => runs.map(goodPerSecond)
const p50 = (runs: readonly WrkResult[]) => runs.map((run) => run.p50 / 1000)
const p99 = (runs: readonly WrkResult[]) => runs.map((run) => run.p99 / 1000)
const mib = (kib: number) => (kib / 1024).toFixed(1)
/** What the contract's reference does beyond answering the bytes. */
const needs = ({ headers, database }: Contract): string[] => [
  ...headers.map((header) => `reading \`${header}\``),
  ...(database ? ['holding a mysql2 pool'] : []),
]
const ratio = (module: readonly number[], bare: readonly number[]) =>
  median(module.map((value, round) => value / (bare[round] ?? Number.NaN)))

/** The table, one row per runtime and route, with the goal of each. */
export function routesSection(result: RoutesResult): Section {
  const { rounds, seconds, connections } = result.settings
  const lines = [
    `${plural(rounds, 'round')} of ${seconds} s per server, ${connections} connections; module / bare Hono, ratio = module / bare Hono on the same runtime:`,
    '',
    `| runtime | route | body | req/s | ratio | p50 (ms) | ratio | p99 (ms) | ratio | peak RSS (MiB) | ratio | errors | the module without its request log, req/s vs bare Hono | bare Hono also doing what the contract needs, req/s and peak RSS vs bare Hono | goal: logged ≥ ${ROUTES_GOAL.logged}x the contract's reference | goal: unlogged ≥ ${ROUTES_GOAL.unlogged}x | goal: peak RSS ≤ ${ROUTES_GOAL.peakRss}x the contract's reference |`,
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ]
  const goals: Goal[] = []
  for (const row of result.rows) {
    const { module, unlogged, bare, reading } = row
    const pair = (values: (runs: readonly WrkResult[]) => number[], digits: number) =>
      `${median(values(module.runs)).toFixed(digits)} / ${median(values(bare.runs)).toFixed(digits)} | ${ratio(values(module.runs), values(bare.runs)).toFixed(2)}x`
    // The fair reference does what the contract needs (health reads Accept, the process holds a pool); else bare.
    const reference = reading ?? bare
    const loggedRatio = ratio(rate(module.runs), rate(reference.runs))
    const unloggedRatio = ratio(rate(unlogged.runs), rate(reference.runs))
    const rssRatio = module.peakRssKiB / reference.peakRssKiB
    const contract =
      reading === undefined
        ? 'nothing more'
        : `${needs(reading).join(', ')}: ${ratio(rate(reading.runs), rate(bare.runs)).toFixed(2)}x, ${mib(reading.peakRssKiB)} MiB, ${(reading.peakRssKiB / bare.peakRssKiB).toFixed(2)}x`
    const errors = [...module.runs, ...unlogged.runs, ...bare.runs, ...(reading?.runs ?? [])].reduce(
      (sum, run) => sum + run.status + run.socket,
      0,
    )
    lines.push(
      `| ${row.runtime} | \`${row.route}\` | ${row.bodyBytes} B | ${pair(rate, 0)} | ${pair(p50, 3)} | ${pair(p99, 3)} | ${mib(module.peakRssKiB)} / ${mib(bare.peakRssKiB)} | ${rssRatio.toFixed(2)}x | ${errors} | ${ratio(rate(unlogged.runs), rate(bare.runs)).toFixed(2)}x | ${contract} | ${loggedRatio.toFixed(2)}x ${verdict(loggedRatio >= ROUTES_GOAL.logged)} | ${unloggedRatio.toFixed(2)}x ${verdict(unloggedRatio >= ROUTES_GOAL.unlogged)} | ${rssRatio.toFixed(2)}x ${verdict(rssRatio <= ROUTES_GOAL.peakRss)} |`,
    )
    const against = reading === undefined ? 'bare Hono' : `bare Hono ${needs(reading).join(' and ')}`
    goals.push(
      {
        measure: `\`${row.route}\` on ${row.runtime}, default log, req/s vs ${against}`,
        goal: `≥ ${ROUTES_GOAL.logged}x`,
        value: `${loggedRatio.toFixed(2)}x`,
        met: loggedRatio >= ROUTES_GOAL.logged,
      },
      {
        measure: `\`${row.route}\` on ${row.runtime}, \`LOG_LEVEL=warn\`, req/s vs ${against}`,
        goal: `≥ ${ROUTES_GOAL.unlogged}x`,
        value: `${unloggedRatio.toFixed(2)}x`,
        met: unloggedRatio >= ROUTES_GOAL.unlogged,
      },
      {
        measure: `\`${row.route}\` on ${row.runtime}, peak RSS vs ${against}`,
        goal: `≤ ${ROUTES_GOAL.peakRss}x`,
        value: `${rssRatio.toFixed(2)}x`,
        met: rssRatio <= ROUTES_GOAL.peakRss,
      },
    )
  }
  return {
    ...ROUTES,
    description: DESCRIPTION,
    body: lines.join('\n'),
    goals,
  }
}
