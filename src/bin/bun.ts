import { bunServer } from '../adapter/bun-server.ts'
import { openFetchHttpClient } from '../adapter/fetch-http-client.ts'
import { runStandalone } from '../standalone/run.ts'

await runStandalone(bunServer, () => openFetchHttpClient)
