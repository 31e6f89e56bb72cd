import { bunServer } from '../adapter/bun-server.ts'
import { runStandalone } from '../standalone/run.ts'

await runStandalone(bunServer, 'bun')
