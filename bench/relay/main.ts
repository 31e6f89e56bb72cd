// Relay throughput and added latency against nginx (issue 5), and the outbound client's CPU per send on each
// runtime: see measure.ts. Needs wrk (`apt-get install -y wrk`) and nginx (`/usr/sbin/nginx`). Bundles the servers (npm run build:server, build:server:bun) first.
// Run: node --import tsx bench/relay/main.ts [--quick]   (--quick: 1 round of 1 s runs, a smoke test)
import { buildServerBundles } from '../../test/helpers/project.ts'
import { environmentLine } from '../environment.ts'
import { FULL, measureRelay, QUICK } from './measure.ts'
import { NGINX } from './nginx.ts'
import { relaySection } from './report.ts'

console.log(`${environmentLine([NGINX, 'wrk'])}\n`)
buildServerBundles()
console.log(relaySection(await measureRelay(process.argv.includes('--quick') ? QUICK : FULL)).body)
