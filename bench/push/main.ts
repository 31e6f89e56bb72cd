// The module's push against a Prometheus agent doing the same job, for 1,000 and 10,000 series: see measure.ts.
// Run: npm run bench:push   (needs Debian's prometheus)
import { environmentLine } from '../environment.ts'
import { FULL, measurePushVsAgent, PROMETHEUS } from './measure.ts'
import { pushSection } from './report.ts'

console.log(`${environmentLine([PROMETHEUS])}\n`)
console.log(pushSection(await measurePushVsAgent(FULL)).body)
