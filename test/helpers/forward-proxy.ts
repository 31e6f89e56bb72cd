// Debian's tinyproxy as the forward proxy an on-premises installation reaches the internet through, on a free
// loopback port. Its log tells what went through it.
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from './free-port.ts'
import { skipForMissingTool } from './skip.ts'

const TINYPROXY = '/usr/bin/tinyproxy'

/** Why proxy tests cannot run here, or undefined when they can. Under CI a missing proxy is a failure. */
export function forwardProxyUnavailable(): string | undefined {
  if (existsSync(TINYPROXY)) return undefined
  return skipForMissingTool('SKIPPED: no tinyproxy on this machine (apt-get install tinyproxy)')
}

export interface ForwardProxy {
  /** `http://127.0.0.1:<port>` */
  readonly url: string
  /** What clients asked it for, in order: `POST http://127.0.0.1:4711/api/event` or `CONNECT 127.0.0.1:4711`. */
  readonly requests: () => readonly string[]
  stop(): Promise<void>
}

const untilListening = async (port: number): Promise<void> => {
  for (let attempt = 0; attempt < 100; attempt++) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => resolve(true)).on('error', () => resolve(false))
      socket.on('connect', () => socket.destroy())
    })
    if (open) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`tinyproxy did not listen on ${port}`)
}

/**
 * Starts tinyproxy in the foreground for loopback clients. With no `ConnectPort` line it tunnels to any port (its
 * packaged configuration allows 443 and 563 only), so HTTPS to a test server on a random port can pass.
 */
export async function startForwardProxy(): Promise<ForwardProxy> {
  const dir = await mkdtemp(join(tmpdir(), 'tinyproxy-'))
  const port = await freePort()
  const config = join(dir, 'tinyproxy.conf')
  await writeFile(
    config,
    [
      `Port ${port}`,
      'Listen 127.0.0.1',
      'Allow 127.0.0.1',
      'Timeout 30',
      'LogLevel Connect',
      'MaxClients 200',
      'DisableViaHeader Yes',
      '',
    ].join('\n'),
  )
  const child: ChildProcess = spawn(TINYPROXY, ['-d', '-c', config], { stdio: ['ignore', 'pipe', 'pipe'] })
  let log = ''
  const collect = (chunk: Buffer) => {
    log += chunk.toString('latin1')
  }
  child.stdout?.on('data', collect)
  child.stderr?.on('data', collect)
  await untilListening(port)
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () =>
      [...log.matchAll(/Request \(file descriptor \d+\): (\S+ \S+) HTTP/g)].map((match) => match[1] ?? ''),
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM')
        await once(child, 'close')
      }
      await rm(dir, { recursive: true, force: true })
    },
  }
}
