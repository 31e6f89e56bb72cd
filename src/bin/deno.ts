import { denoAdapter } from '../adapter/deno.ts'
import { runStandalone } from '../adapter/server.ts'

await runStandalone(denoAdapter)
