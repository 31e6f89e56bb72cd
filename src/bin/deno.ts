import { denoServer } from '../adapter/deno-server.ts'
import { openFetchHttpClient } from '../adapter/fetch-http-client.ts'
import { runStandalone } from '../standalone/run.ts'

await runStandalone(denoServer, () => openFetchHttpClient)
