// One command for every benchmark: runs each in turn (routes, the request log against pino, cold start, health, metrics, relay, push, and installed
// size in the full run only) and writes bench/RESULTS.md from their results: the date, machine and versions, a
// summary of the goals, then one section per benchmark with its tables and what it measures against which
// reference. A benchmark that fails gets its error in its section, the others still run, and the command exits 1.
// Needs wrk, nginx, prometheus and mariadbd (Debian's packages). Bundles the servers (npm run build:server, build:server:bun) once, first.
// Run: npm run bench [-- --quick]   (--quick: shorter runs and fewer rounds, under two minutes on 2 cores)
import { writeFile } from 'node:fs/promises'
import { buildServerBundles } from '../test/helpers/project.ts'
import * as coldStart from './cold-start/measure.ts'
import { COLD_START, coldStartSection } from './cold-start/report.ts'
import { environmentLine } from './environment.ts'
import * as health from './health/measure.ts'
import { HEALTH, healthSection } from './health/report.ts'
import { INSTALL_SIZE, installSizeSection } from './install-size/measure.ts'
import * as metrics from './metrics/measure.ts'
import { METRICS, metricsSection } from './metrics/report.ts'
import { paceAtStart, paceSince } from './pace.ts'
import * as push from './push/measure.ts'
import { PUSH, pushSection } from './push/report.ts'
import * as relay from './relay/measure.ts'
import { NGINX } from './relay/nginx.ts'
import { RELAY, relaySection } from './relay/report.ts'
import * as requestLog from './request-log/measure.ts'
import { REQUEST_LOG, requestLogSection } from './request-log/report.ts'
import { resultsMarkdown } from './results.ts'
import * as routes from './routes/measure.ts'
import { ROUTES, routesSection } from './routes/report.ts'
import type { Heading, Section } from './section.ts'

const RESULTS = new URL('./RESULTS.md', import.meta.url)
const quick = process.argv.includes('--quick')
const started = performance.now()

/** A section with only a sentence in place of the benchmark's figures: one that failed, or was not run. */
const withoutFigures = (heading: Heading, body: string): Section => ({
  ...heading,
  description: '',
  body,
  goals: [],
})

const benchmarks: ReadonlyArray<readonly [Heading, () => Promise<Section>]> = [
  [ROUTES, async () => routesSection(await routes.measureRoutes(quick ? routes.QUICK : routes.FULL))],
  [
    REQUEST_LOG,
    async () =>
      requestLogSection(await requestLog.measureRequestLog(quick ? requestLog.QUICK : requestLog.FULL)),
  ],
  [
    COLD_START,
    async () =>
      coldStartSection(await coldStart.measureColdStart(quick ? coldStart.QUICK_RUNS : coldStart.FULL_RUNS)),
  ],
  [HEALTH, async () => healthSection(await health.measureHealth(quick ? health.QUICK : health.FULL))],
  [METRICS, async () => metricsSection(await metrics.measureMetrics(quick ? metrics.QUICK : metrics.FULL))],
  [RELAY, async () => relaySection(await relay.measureRelay(quick ? relay.QUICK : relay.FULL))],
  [PUSH, async () => pushSection(await push.measurePushVsAgent(quick ? push.QUICK : push.FULL))],
  [
    INSTALL_SIZE,
    // No ratio and no goal, and a fresh `npm ci` of its own: left to the full run, so --quick keeps to two minutes.
    async () =>
      quick
        ? withoutFigures(
            INSTALL_SIZE,
            'Not run with `--quick`: the full run and `npm run bench:install-size` measure it.',
          )
        : installSizeSection(),
  ],
]

const environment = environmentLine([NGINX, 'wrk', push.PROMETHEUS])
console.error(environment)
const start = await paceAtStart()
buildServerBundles()
const sections: Section[] = []
let failed = 0
for (const [heading, run] of benchmarks) {
  const since = performance.now()
  console.error(`\n== ${heading.title}`)
  try {
    sections.push(await run())
  } catch (error) {
    failed++
    console.error(error)
    const reason = error instanceof Error ? error.message : String(error)
    sections.push(withoutFigures(heading, `**Failed in this run:** ${reason}`))
  }
  console.error(`== ${heading.title}: ${((performance.now() - since) / 1000).toFixed(0)} s`)
}
const seconds = (performance.now() - started) / 1000
const pace = await paceSince(start)
console.error(`\nThe machine's pace: ${pace}`)
await writeFile(RESULTS, resultsMarkdown({ environment, pace, quick, seconds, sections }))
console.error(
  `\nbench/RESULTS.md written: ${sections.length - failed} benchmarks, ${failed} failed, ${seconds.toFixed(0)} s`,
)
// Exit now: one run stayed alive 50 s after writing the file, with nothing of its own left open that could be found.
process.exit(failed === 0 ? 0 : 1)
