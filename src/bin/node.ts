import { nodeServer } from '../adapter/node-server.ts'
import { runStandalone } from '../standalone/run.ts'

await runStandalone(nodeServer, 'node')
