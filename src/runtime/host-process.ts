/** The signals on which the standalone server shuts down gracefully. */
export type StopSignal = 'SIGTERM' | 'SIGINT'

/**
 * What the standalone server takes from its process: its variables, host name, stdout, exit and signals. Node's
 * `process` and `node:os` serve on Node and Bun. Deno has them too, but sets up its Node compatibility on the first
 * use of either, about a tenth of the server's start (bench/HISTORY.md), so Deno's entry brings Deno's own.
 */
export interface HostProcess {
  /** The environment variables, read once at start. */
  readonly env: () => Readonly<Record<string, string | undefined>>
  /** This machine's name: replicas that push their metrics name themselves by it, with their port. */
  readonly hostname: () => string
  /**
   * Writes all of `chunk` to stdout, or copies it, before it returns: the caller reuses the buffer bytes are in.
   */
  readonly writeStdout: (chunk: string | Uint8Array) => void
  /** Runs as the process exits: on `exit`, when nothing is left to run, and on an uncaught error. */
  readonly onExit: (listener: () => void) => void
  readonly onSignal: (signal: StopSignal, listener: (signal: StopSignal) => void) => void
  readonly exit: (code: number) => never
}
