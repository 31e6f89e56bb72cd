import type { HostProcess } from '../../runtime/host-process.ts'

/**
 * Node's `process`, on Node and on Bun. Writes to stdout are synchronous for files and pipes on Linux, and
 * asynchronous for a terminal, where nothing reads the log but a person.
 */
export const nodeProcess: HostProcess = {
  env: () => process.env,
  // Only a push asks (its `instance` label): Bun loads node:os in 0.7 ms of a 12 ms start.
  hostname: () => process.getBuiltinModule('node:os').hostname(),
  writeStdout: (chunk) => {
    // A terminal's stream writes later and keeps what it was given, which the caller may be about to reuse.
    process.stdout.write(typeof chunk === 'string' ? chunk : chunk.slice())
  },
  onExit: (listener) => {
    process.on('exit', listener)
  },
  onSignal: (signal, listener) => {
    process.on(signal, listener)
  },
  exit: (code) => process.exit(code),
}
