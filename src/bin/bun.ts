import { bunServer } from '../adapter/bun-server.ts'
import { openFetchHttpClient } from '../adapter/fetch-http-client.ts'
import { nodeReadTextFileSync } from '../adapter/node-files.ts'
import { nodeProcess } from '../adapter/node-process.ts'
import { runStandalone } from '../standalone/run.ts'

await runStandalone({
  host: nodeProcess,
  server: bunServer,
  httpClients: () => openFetchHttpClient,
  readTextFileSync: nodeReadTextFileSync,
})
