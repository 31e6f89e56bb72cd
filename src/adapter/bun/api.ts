import type { FetchHandler } from '../../runtime/http-server.ts'

interface BunServer {
  readonly port: number
  stop(closeActiveConnections?: boolean): Promise<void>
}

/**
 * The slice of Bun's global API the adapters and Bun's entry use, declared here once so that tsc and deno check need
 * no Bun type package.
 */
export interface BunApi {
  /** The absolute path of the file Bun was started with. */
  readonly main: string
  pathToFileURL(path: string): URL
  fileURLToPath(url: URL): string
  /** Maps the file into memory; throws with the `code` node:fs would (ENOENT, EISDIR; EINVAL for an empty file). */
  mmap(path: string): Uint8Array
  serve(options: {
    port: number
    hostname: string
    reusePort: boolean
    development: boolean
    fetch: FetchHandler
  }): BunServer
}

/**
 * Bun's global, for code that runs on Bun only.
 * @example bun().serve({ port: 8080, hostname: '0.0.0.0', reusePort: false, development: false, fetch })
 */
export const bun = (): BunApi => (globalThis as unknown as { Bun: BunApi }).Bun
