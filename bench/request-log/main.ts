// The request log against pino on every runtime.
// Run: npm run bench:request-log
import { environmentLine } from '../environment.ts'
import { FULL, measureRequestLog } from './measure.ts'
import { requestLogSection } from './report.ts'

console.log(`${environmentLine()}\n`)
console.log(requestLogSection(await measureRequestLog(FULL)).body)
