// Routes against a bare Hono app on each runtime (issue 14): requests/s, p50, p99 and peak RSS of the module with
// every feature on, as ratios against a bare Hono route answering the same bytes, measured in the same run.
// Needs wrk (`apt-get install wrk`) and mariadbd (`apt-get install mariadb-server`). Bundles the servers (npm run build:server, build:server:bun) first.
// Run: npm run bench:routes [-- --quick] [-- --runtime node]   (--quick: one round of 1 s runs, rough figures;
// --runtime: that runtime's rows only, to look at one figure again without the others' rounds)
import { buildServerBundles } from '../../test/helpers/project.ts'
import { RUNTIMES } from '../../test/helpers/runtimes.ts'
import { environmentLine } from '../environment.ts'
import { FULL, measureRoutes, QUICK } from './measure.ts'
import { routesSection } from './report.ts'

const runtimeAt = process.argv.indexOf('--runtime')
const runtimes =
  runtimeAt === -1 ? RUNTIMES : RUNTIMES.filter((runtime) => runtime.name === process.argv[runtimeAt + 1])
if (runtimes.length === 0)
  throw new Error(
    `Cannot measure: --runtime must be one of ${RUNTIMES.map((runtime) => runtime.name).join(', ')}`,
  )
buildServerBundles()
const result = await measureRoutes(process.argv.includes('--quick') ? QUICK : FULL, runtimes)
console.log(`${environmentLine(['wrk'])}\n\n${routesSection(result).body}`)
