import { denoServer } from '../adapter/deno-server.ts'
import { runStandalone } from '../standalone/run.ts'

await runStandalone(denoServer, 'deno')
