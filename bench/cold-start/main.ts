// Cold start: time from spawning a server to its first answered GET /version, median of 11 runs per
// runtime, as a ratio against a bare "hello" server on the same runtime started the same way.
// Run: npm run bench:cold-start   (after npm run build)
import { environmentLine } from '../environment.ts'
import { FULL_RUNS, measureColdStart } from './measure.ts'
import { coldStartSection } from './report.ts'

console.log(`${environmentLine()}\n`)
console.log(coldStartSection(await measureColdStart(FULL_RUNS)).body)
