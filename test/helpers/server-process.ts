import { once } from 'node:events'
import { launch, type RunResult, untilExit } from './child-processes.ts'

/** A server started as a child process, with everything it printed. */
export interface ServerProcess {
  readonly url: string
  /** The server's own process: the runtimes' binaries are started directly, not through a shell. */
  readonly pid: number
  /** stdout lines parsed as JSON log entries. */
  readonly logs: Record<string, unknown>[]
  readonly stderr: () => string
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>
  readonly exited: Promise<number | null>
}

const START_TIMEOUT_MS = 20_000

/** Starts a server and resolves once it logs `listening`; rejects with its output if it exits or hangs. */
export async function startServer(
  argv: readonly string[],
  env: Record<string, string>,
): Promise<ServerProcess> {
  const child = launch(argv, env)
  const logs: Record<string, unknown>[] = []
  let stderr = ''
  let pending = ''
  const exited = once(child, 'close').then(([code]) => code as number | null)
  const listening = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${argv.join(' ')} did not listen within ${START_TIMEOUT_MS} ms`)),
      START_TIMEOUT_MS,
    )
    child.stdout?.on('data', (chunk: Buffer) => {
      pending += chunk.toString()
      const lines = pending.split('\n')
      pending = lines.pop() ?? ''
      for (const line of lines.filter((text) => text.startsWith('{'))) {
        const entry = JSON.parse(line) as Record<string, unknown>
        logs.push(entry)
        if (entry.msg !== 'listening') continue
        clearTimeout(timer)
        resolve(String(entry.url))
      }
    })
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`${argv.join(' ')} exited with ${code} before listening:\n${stderr}`))
    })
  })
  const url = await listening.catch((error: unknown) => {
    child.kill('SIGKILL')
    throw error
  })
  return {
    url,
    pid: child.pid as number,
    logs,
    stderr: () => stderr,
    exited,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal)
      return exited
    },
  }
}

/** Runs a command to completion (for servers that must refuse to start). */
export const runToExit = (argv: readonly string[], env: Record<string, string>): Promise<RunResult> =>
  untilExit(launch(argv, env), START_TIMEOUT_MS)
