import { bunMainFile } from '../adapter/bun-main.ts'
import { bunServer } from '../adapter/bun-server.ts'
import { openFetchHttpClient } from '../adapter/fetch-http-client.ts'
import { nodeReadTextFileSync } from '../adapter/node-files.ts'
import { nodeProcess } from '../adapter/node-process.ts'
import { runStandalone } from '../standalone/run.ts'

// Bun's bytecode cache takes a CommonJS bundle (scripts/build-bun-server.ts), which has no top-level await; an error
// runStandalone does not handle still ends the process with 1, as an unhandled rejection.
void runStandalone({
  host: nodeProcess,
  server: bunServer,
  httpClients: () => openFetchHttpClient,
  readTextFileSync: nodeReadTextFileSync,
  // The file Bun runs, src/bin/bun.ts or the bundle's dist/bun/bun.js, sits two levels below the package root.
  packageRoot: new URL('../../', bunMainFile()),
})
