import type { StopSignal } from '../../runtime/host-process.ts'
import type { FetchHandler } from '../../runtime/http-server.ts'

interface DenoServer {
  readonly addr: { readonly port: number }
  shutdown(): Promise<void>
}

/**
 * The slice of Deno's global API the adapters use, declared here once so that tsc needs no Deno types and Node and
 * Bun can load every adapter.
 */
export interface DenoApi {
  readonly env: { toObject(): Record<string, string> }
  readonly stdout: { writeSync(bytes: Uint8Array): number }
  hostname(): string
  readTextFileSync(file: string | URL): string
  addSignalListener(signal: StopSignal, listener: () => void): void
  exit(code: number): never
  serve(options: { port: number; hostname: string; onListen: () => void }, handler: FetchHandler): DenoServer
  unrefTimer(id: unknown): void
  mkdir(path: string, options: { recursive: boolean }): Promise<void>
  readDir(path: string): AsyncIterable<{ readonly name: string }>
  readFile(path: string): Promise<Uint8Array>
  open(
    path: string,
    options: { append?: boolean; write?: boolean; create?: boolean; truncate?: boolean },
  ): Promise<DenoFile>
  rename(from: string, to: string): Promise<void>
  remove(path: string): Promise<void>
}

/** An open file: `write` may write fewer bytes than given, and says how many it wrote. */
export interface DenoFile {
  write(bytes: Uint8Array): Promise<number>
  sync(): Promise<void>
  close(): void
}

/** Deno's global, on Deno; undefined elsewhere. */
export const maybeDeno = (): DenoApi | undefined => (globalThis as { Deno?: DenoApi }).Deno

/**
 * Deno's global, for code that runs on Deno only.
 * @example deno().exit(0)
 */
export const deno = (): DenoApi => maybeDeno() as DenoApi
