// Metrics, against reference libraries run in the same process:
//  1. rendering 10,000 histogram series the way /actuator/prometheus does, against prom-client's
//     `registry.metrics()`: median and p95 of 15 renders after 3 warm-ups (render.ts);
//  2. per-request overhead of the HTTP metrics middleware against @hono/prometheus' `registerMetrics`, 300,000
//     requests per variant after 20,000 warm-ups in interleaved blocks of 2,000 (middleware.ts).
// Run: npm run bench:metrics
import { environmentLine } from '../environment.ts'
import { FULL, measureMetrics } from './measure.ts'
import { metricsSection } from './report.ts'

console.log(`${environmentLine()}\n`)
console.log(metricsSection(await measureMetrics(FULL)).body)
