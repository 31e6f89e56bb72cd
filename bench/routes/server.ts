// A server under load, started as the README starts it, with stdout and stderr going to a file (what a container's
// log driver would read), so the benchmark's own process neither parses nor holds the request log.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { openSync } from 'node:fs'
import { freePort } from '../../test/helpers/free-port.ts'
import { PATH_WITH_LOCAL_BINS, PROJECT_ROOT } from '../../test/helpers/project.ts'
import { waitForHttp } from '../relay/wait-for-http.ts'
import { peakRssKiB } from './peak-rss.ts'

export interface BenchServer {
  readonly url: string
  /** The runtime's own process: the commands are started directly (a leading `env` execs in its place). */
  readonly pid: number
  /** VmHWM so far, KiB. */
  peakRssKiB(): number
  /** SIGTERM, and SIGKILL after 5 s; resolves once it has exited. */
  stop(): Promise<void>
}

const KILL_AFTER_MS = 5000

/**
 * Starts `argv` from the project root on a free port (`PORT`, `HOST=127.0.0.1`) and resolves once `readyPath`
 * answers 2xx.
 * @example const server = await startBenchServer(['node', 'dist/server/node.js'], {}, '/version', '/tmp/node.log')
 */
export async function startBenchServer(
  argv: readonly string[],
  env: Record<string, string>,
  readyPath: string,
  logFile: string,
): Promise<BenchServer> {
  const port = await freePort()
  const output = openSync(logFile, 'w')
  const [command = '', ...args] = argv
  const child = spawn(command, args, {
    cwd: PROJECT_ROOT,
    env: {
      PATH: PATH_WITH_LOCAL_BINS,
      HOME: process.env.HOME ?? '/tmp',
      PORT: String(port),
      HOST: '127.0.0.1',
      ...env,
    },
    stdio: ['ignore', output, output],
  })
  const exited = once(child, 'close')
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return
    const killer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS)
    child.kill('SIGTERM')
    await exited
    clearTimeout(killer)
  }
  const url = `http://127.0.0.1:${port}`
  try {
    await waitForHttp(`${url}${readyPath}`)
  } catch (error) {
    await stop()
    throw new Error(`${argv.join(' ')} did not answer ${readyPath}; its output is in ${logFile}`, {
      cause: error,
    })
  }
  return { url, pid: child.pid as number, peakRssKiB: () => peakRssKiB(child.pid as number), stop }
}
