import { bun } from '../adapter/bun/api.ts'
import { bunReadTextFileSync } from '../adapter/bun/files.ts'
import { bunServer } from '../adapter/bun/server.ts'
import { nodeOpenDurableFolder } from '../adapter/node/files.ts'
import { nodeProcess } from '../adapter/node/process.ts'
import { openFetchHttpClient } from '../adapter/shared/fetch-http-client.ts'
import { runStandalone } from '../standalone/run.ts'

// Bun's bytecode cache takes a CommonJS bundle (scripts/build-bun-server.ts), which has no top-level await; an error
// runStandalone does not handle still ends the process with 1, as an unhandled rejection.
void runStandalone({
  host: nodeProcess,
  server: bunServer,
  httpClients: () => openFetchHttpClient,
  readTextFileSync: bunReadTextFileSync,
  // JavaScriptCore keeps no more memory for lines joined as text, and encoding them one by one costs Bun CPU.
  pendingLogLines: 'joined',
  openDurableFolder: nodeOpenDurableFolder,
  // The file Bun runs, src/bin/bun.ts or the bundle's dist/bun/bun.js, sits two levels below the package root. Not
  // import.meta.url: the CommonJS bundle has it as this source file's URL on the machine that built the bundle.
  packageRoot: new URL('../../', bun().pathToFileURL(bun().main)),
})
