import type { StopSignal } from '../../runtime/host-process.ts'
import type { FetchHandler } from '../../runtime/http-server.ts'

interface DenoServer {
  readonly addr: { readonly port: number }
  shutdown(): Promise<void>
}

/** What Deno.serve hands its handler besides the request. */
export interface DenoHandlerInfo {
  readonly remoteAddr: { readonly hostname: string; readonly port: number }
  /** Settles once the answer is sent, or the client has gone. */
  readonly completed: Promise<void>
}

/** A TCP connection (`Deno.TcpConn`). */
export interface DenoConn {
  readonly localAddr: { readonly port: number }
  readonly remoteAddr: { readonly hostname: string; readonly port: number }
  /** Reads into `buffer`; null at the end. */
  read(buffer: Uint8Array): Promise<number | null>
  write(bytes: Uint8Array): Promise<number>
  closeWrite(): Promise<void>
  close(): void
  setNoDelay(noDelay: boolean): void
}

/** A TCP listener (`Deno.TcpListener`). */
export interface DenoListener {
  readonly addr: { readonly port: number }
  accept(): Promise<DenoConn>
  close(): void
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
  serve(
    options: { port: number; hostname: string; onListen: () => void },
    handler: (request: Request, info: DenoHandlerInfo) => ReturnType<FetchHandler>,
  ): DenoServer
  listen(options: { port: number; hostname: string }): DenoListener
  connect(options: { hostname: string; port: number }): Promise<DenoConn>
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
