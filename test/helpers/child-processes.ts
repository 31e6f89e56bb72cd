// Child processes started as the README starts commands (from the project root, the local binaries first on PATH)
// and tracked together, so a script that starts several stops every one of them, whatever happened.
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { CHILD_ENV, PROJECT_ROOT } from './project.ts'

/** Enough of a process's stderr to explain why it stopped; a server under load may write far more. */
const KEPT_STDERR_CHARS = 4000
const KILL_AFTER_MS = 3000

/** A long-running child process. */
export interface Child {
  /** The command's own process: a leading `env VAR=value` execs the command in its place. */
  readonly pid: number
  readonly running: () => boolean
  /** The last characters it wrote to stderr. */
  readonly stderr: () => string
  /** SIGTERM, and SIGKILL 3 s later if it is still there; resolves once it has exited. */
  readonly stop: () => Promise<void>
}

export interface RunResult {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Starts a command from the project root with only `CHILD_ENV` (PATH, HOME, the loopback check) and the given variables. */
export function launch(argv: readonly string[], env: Record<string, string>): ChildProcess {
  const [command = '', ...args] = argv
  return spawn(command, args, {
    cwd: PROJECT_ROOT,
    env: { ...CHILD_ENV, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
}

/** Waits for a started command to end, with what it printed; it is killed after `timeoutMs`. */
export async function untilExit(child: ChildProcess, timeoutMs: number): Promise<RunResult> {
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString()
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
  const [code] = (await once(child, 'close')) as [number | null]
  clearTimeout(killer)
  return { code, stdout, stderr }
}

export interface ChildProcesses {
  /** Starts a process meant to run until `stop` or `stopAll`; if it exits before, says so on stderr with its last stderr. */
  start(argv: readonly string[], env?: Record<string, string>): Child
  /** Runs a command to its end and resolves with its output; it is killed after `timeoutMs`. */
  run(
    argv: readonly string[],
    options: { env?: Record<string, string>; timeoutMs: number },
  ): Promise<RunResult>
  /** Sends SIGTERM to every process still running, and SIGKILL to those still there 3 s later. */
  stopAll(): Promise<void>
}

/**
 * A set of tracked child processes; each starts with only PATH, HOME and the variables it is given.
 * @example const processes = createChildProcesses(); processes.start(['nginx', '-g', 'daemon off;'])
 */
export function createChildProcesses(): ChildProcesses {
  const children: ChildProcess[] = []

  const spawnTracked = (argv: readonly string[], env: Record<string, string>) => {
    const child = launch(argv, env)
    children.push(child)
    let stderr = ''
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-KEPT_STDERR_CHARS)
    })
    // Without a listener, a command that cannot start (not installed) would end the parent with it.
    child.on('error', (error) => {
      stderr += `\n${error.message}`
    })
    return { child, stderr: () => stderr }
  }

  const stopped = new WeakSet<ChildProcess>()
  const stop = async (child: ChildProcess): Promise<void> => {
    stopped.add(child)
    if (child.exitCode !== null || child.signalCode !== null) return
    const killer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS)
    const exited = once(child, 'close')
    child.kill('SIGTERM')
    await exited
    clearTimeout(killer)
  }

  return {
    start(argv, env = {}) {
      const { child, stderr } = spawnTracked(argv, env)
      child.on('close', (code, signal) => {
        if (!stopped.has(child))
          console.error(`${argv.join(' ')} exited early (${code ?? signal}):\n${stderr()}`)
      })
      return {
        pid: child.pid ?? 0,
        running: () => child.exitCode === null && child.signalCode === null,
        stderr,
        stop: () => stop(child),
      }
    },

    run(argv, { env = {}, timeoutMs }) {
      return untilExit(spawnTracked(argv, env).child, timeoutMs)
    },

    async stopAll() {
      await Promise.all(children.map(stop))
    },
  }
}
