// Cold start: time from spawning a server to its first answered GET /version, median of 11 runs per
// runtime, as a ratio against a bare "hello" server on the same runtime started the same way.
// Run: npm run bench:cold-start   (it bundles the servers first, as their start commands do)
import { buildServerBundles } from '../../test/helpers/project.ts'
import { environmentLine } from '../environment.ts'
import { FULL_RUNS, measureColdStart } from './measure.ts'
import { coldStartSection } from './report.ts'

buildServerBundles()
console.log(`${environmentLine()}\n`)
console.log(coldStartSection(await measureColdStart(FULL_RUNS)).body)
