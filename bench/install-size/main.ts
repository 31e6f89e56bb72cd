// Installed size in a host project: the packed module with `hono`, and with each optional peer.
// Run: npm run bench:install-size
import { environmentLine } from '../environment.ts'
import { installSizeSection } from './measure.ts'

console.log(`${environmentLine()}\n`)
console.log(installSizeSection().body)
