#!/usr/bin/env node
import { nodeOpenDurableFolder, nodeReadTextFileSync } from '../adapter/node/files.ts'
import { nodeProcess } from '../adapter/node/process.ts'
import { nodeServer } from '../adapter/node/server.ts'
import { loadUndici, undiciHttpClients } from '../adapter/node/undici-http-client.ts'
import { runStandalone } from '../standalone/run.ts'

await runStandalone({
  host: nodeProcess,
  server: nodeServer,
  httpClients: undiciHttpClients,
  readTextFileSync: nodeReadTextFileSync,
  openDurableFolder: nodeOpenDurableFolder,
  // src/bin/ and the bundles' dist/server/ sit two levels below the package root.
  packageRoot: new URL('../../', import.meta.url),
  loadOutboundPackage: loadUndici,
})
