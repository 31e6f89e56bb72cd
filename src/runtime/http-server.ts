/** The fetch handler a runtime's server calls; the second argument is the runtime's own (socket info etc.). */
export type FetchHandler = (request: Request, env?: unknown) => Response | Promise<Response>

/** The one thing that differs between runtimes when serving: how to listen and how to stop. */
export interface ServerAdapter {
  readonly runtime: 'node' | 'deno' | 'bun'
  /** Starts listening; rejects when the address cannot be bound. */
  listen(
    fetch: FetchHandler,
    address: { readonly port: number; readonly hostname: string },
  ): Promise<RunningServer>
}

export interface RunningServer {
  /** The port actually bound. */
  readonly port: number
  /** Stops accepting connections and resolves once in-flight requests have finished. */
  close(): Promise<void>
}
