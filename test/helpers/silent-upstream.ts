// An upstream that accepts no connections and lets connection attempts hang, as a host behind a firewall that
// drops packets: a listener whose accept queue is full, so the kernel drops every further SYN. Node accepts every
// connection by itself, so the listener is a python3 process that never calls accept().
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { once } from 'node:events'
import { skipForMissingTool } from './skip.ts'

const LISTENER = `
import socket, sys, time
listener = socket.socket()
listener.bind(('127.0.0.1', 0))
listener.listen(0)
port = listener.getsockname()[1]
held = []
for _ in range(3):
    filler = socket.socket()
    filler.setblocking(False)
    try:
        filler.connect(('127.0.0.1', port))
    except BlockingIOError:
        pass
    held.append(filler)
time.sleep(0.2)
print(port, flush=True)
sys.stdin.read()
`

/** Why this upstream cannot run here, or undefined when it can. Under CI a missing python3 is a failure. */
export function silentUpstreamUnavailable(): string | undefined {
  if (spawnSync('python3', ['--version']).status === 0) return undefined
  return skipForMissingTool('SKIPPED: no python3 on this machine to hold a listener with a full backlog')
}

export interface SilentUpstream {
  readonly url: string
  stop(): Promise<void>
}

export async function startSilentUpstream(): Promise<SilentUpstream> {
  const child: ChildProcess = spawn('python3', ['-c', LISTENER], { stdio: ['pipe', 'pipe', 'inherit'] })
  const [chunk] = (await once(child.stdout as NodeJS.ReadableStream, 'data')) as [Buffer]
  return {
    url: `http://127.0.0.1:${Number(chunk.toString().trim())}`,
    async stop() {
      child.stdin?.end()
      if (child.exitCode === null) await once(child, 'close')
    },
  }
}
