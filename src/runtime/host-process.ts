/** The signals on which the standalone server shuts down gracefully. */
export type StopSignal = 'SIGTERM' | 'SIGINT'

/**
 * What the standalone server takes from its process: its variables, stdout, exit and signals. Node's `process`
 * serves on Node and Bun. Deno has one too, but its Node compatibility layer is set up on first use, about 5 ms of
 * a 40 ms start (bench/HISTORY.md), so Deno's entry brings Deno's own.
 */
export interface HostProcess {
  /** The environment variables, read once at start. */
  readonly env: () => Readonly<Record<string, string | undefined>>
  /** This machine's name: replicas that push their metrics name themselves by it, with their port. */
  readonly hostname: () => string
  /** Writes all of `text` to stdout before it returns. */
  readonly writeStdout: (text: string) => void
  /** Runs as the process exits: on `exit`, when nothing is left to run, and on an uncaught error. */
  readonly onExit: (listener: () => void) => void
  readonly onSignal: (signal: StopSignal, listener: (signal: StopSignal) => void) => void
  readonly exit: (code: number) => never
}
