import type { Heading, Section } from '../section.ts'
import { type HealthResult, STORM_CLIENTS, TIMEOUT_MS } from './measure.ts'

/** This benchmark's title and command in bench/RESULTS.md. */
export const HEALTH: Heading = { title: 'Health under faults and load', command: 'npm run bench:health' }

const DESCRIPTION = `A throwaway MariaDB and the Node server as \`npm start\` runs it, default settings but
\`HEALTH_TIMEOUT_MS=${TIMEOUT_MS}\` (cache 1 s).

1. Time to DOWN with a frozen database (SIGSTOP), median of the runs, as a ratio of the configured timeout (the
   reference). It is measured for the first request after the last cached UP result expired: a caller sees DOWN at
   most cache TTL + timeout after the database freezes.
2. Validation queries (\`SELECT 1\`, counted in MariaDB's general log) per second reaching MariaDB under a probe
   storm (${STORM_CLIENTS} concurrent clients), with the default 1 s cache, as a ratio of the same storm with the
   cache off (the reference). With the cache off, single-flight alone still keeps the database at one query per
   check in flight.`

/** The table. */
export function healthSection(result: HealthResult): Section {
  const { downMs, withCache, withoutCache, settings } = result
  const body = [
    '| measure | value | reference | ratio vs reference |',
    '| --- | --- | --- | --- |',
    `| time to DOWN, frozen MariaDB (median of ${settings.downRuns}) | ${downMs.toFixed(0)} ms | timeout ${TIMEOUT_MS} ms | ${(downMs / TIMEOUT_MS).toFixed(2)} |`,
    `| SELECT 1 per second under a ${settings.stormMs / 1000} s storm of ${STORM_CLIENTS} clients (${withCache.requestsPerSecond.toFixed(0)} req/s) | ${withCache.queriesPerSecond.toFixed(2)} | cache off: ${withoutCache.queriesPerSecond.toFixed(0)} (${withoutCache.requestsPerSecond.toFixed(0)} req/s) | ${(withCache.queriesPerSecond / withoutCache.queriesPerSecond).toFixed(4)} |`,
  ].join('\n')
  return {
    ...HEALTH,
    description: DESCRIPTION,
    body,
    goals: [],
  }
}
