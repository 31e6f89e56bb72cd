import { bunMainFile } from '../adapter/bun-main.ts'
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
  // src/bin/ and the bundle's dist/bun/ sit two levels below the package root.
  packageRoot: new URL('../../', bunMainFile()),
})
