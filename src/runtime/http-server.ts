/** The fetch handler a runtime's server calls; the second argument is the runtime's own (socket info etc.). */
export type FetchHandler = (request: Request, env?: unknown) => Response | Promise<Response>

/** The one thing that differs between runtimes when serving: how to listen and how to stop. */
export interface ServerAdapter {
  readonly runtime: 'node' | 'deno' | 'bun'
  /** Starts listening; rejects when the address cannot be bound. */
  listen(fetch: FetchHandler, address: ListenSettings): Promise<RunningServer>
}

export interface ListenSettings {
  readonly port: number
  readonly hostname: string
  /**
   * Deno only, whose `Deno.serve` has no connection timeout: serve behind a front that keeps Node's (a whole head
   * within 60 s, 5 s of silence after an answer), at the price of most of Deno's throughput. Node's and Bun's servers
   * keep their own either way. Off unless set.
   */
  readonly denoConnectionTimeouts?: boolean
}

export interface RunningServer {
  /** The port actually bound. */
  readonly port: number
  /** Stops accepting connections and resolves once in-flight requests have finished. */
  close(): Promise<void>
}
