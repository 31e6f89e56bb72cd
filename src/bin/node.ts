import { nodeServer } from '../adapter/node-server.ts'
import { undiciHttpClients } from '../adapter/undici-http-client.ts'
import { runStandalone } from '../standalone/run.ts'

await runStandalone(nodeServer, undiciHttpClients)
