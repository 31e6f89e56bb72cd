// Health under faults and load, against a throwaway MariaDB and the Node server as `npm start` runs it: time to
// DOWN with a frozen database, and validation queries per second under a probe storm with and without the cache.
// Run: npm run bench:health
import { environmentLine } from '../environment.ts'
import { FULL, measureHealth } from './measure.ts'
import { healthSection } from './report.ts'

console.log(`${environmentLine()}\n`)
console.log(healthSection(await measureHealth(FULL)).body)
