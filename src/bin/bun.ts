import { bunAdapter } from '../adapter/bun.ts'
import { runStandalone } from '../adapter/server.ts'

await runStandalone(bunAdapter)
