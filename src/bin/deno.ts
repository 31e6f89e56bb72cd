import { denoOpenDurableFolder, denoReadTextFileSync } from '../adapter/deno/files.ts'
import { denoProcess } from '../adapter/deno/process.ts'
import { denoServer } from '../adapter/deno/server.ts'
import { openFetchHttpClient } from '../adapter/shared/fetch-http-client.ts'
import { runStandalone } from '../standalone/run.ts'

await runStandalone({
  host: denoProcess,
  server: denoServer,
  httpClients: () => openFetchHttpClient,
  readTextFileSync: denoReadTextFileSync,
  openDurableFolder: denoOpenDurableFolder,
  // src/bin/ and the bundles' dist/server/ sit two levels below the package root.
  packageRoot: new URL('../../', import.meta.url),
})
