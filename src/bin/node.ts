import { nodeAdapter } from '../adapter/node.ts'
import { runStandalone } from '../adapter/server.ts'

await runStandalone(nodeAdapter)
