// Runs client-cost.ts on one runtime, as a child process of its own, and reads the line it prints.
import { fileURLToPath } from 'node:url'
import type { ChildProcesses } from '../../test/helpers/child-processes.ts'
import type { RuntimeTarget } from '../../test/helpers/runtimes.ts'

/** CPU per send of the module's outbound HTTP client on one runtime, as client-cost.ts prints it. */
export interface ClientCost {
  readonly runtime: string
  readonly client: string
  readonly sends: number
  readonly concurrency: number
  readonly cpuUsPerSend: number
  readonly sendsPerSecond: number
}

const CLIENT_COST = fileURLToPath(new URL('./client-cost.ts', import.meta.url))
const TIMEOUT_MS = 120_000

export async function runClientCost(
  processes: ChildProcesses,
  runtime: RuntimeTarget,
  upstreamUrl: string,
  sends: number,
): Promise<ClientCost> {
  const argv = [...runtime.runFile(CLIENT_COST), upstreamUrl, String(sends)]
  // Deno would otherwise ask dl.deno.land for updates, as deno.json's start task says.
  const { code, stdout, stderr } = await processes.run(argv, {
    env: { DENO_NO_UPDATE_CHECK: '1' },
    timeoutMs: TIMEOUT_MS,
  })
  const line = stdout.split('\n').find((text) => text.startsWith('{'))
  if (code !== 0 || line === undefined) throw new Error(`${argv.join(' ')} exited with ${code}:\n${stderr}`)
  return JSON.parse(line) as ClientCost
}
