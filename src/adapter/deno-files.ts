import type { ReadTextFileSync } from '../runtime/files.ts'

// Declared locally, as in deno-server.ts, so that tsc needs no Deno types.
interface DenoGlobal {
  readTextFileSync(file: string | URL): string
}

/**
 * Deno's own read: the standalone server on Deno loads no node:fs, whose compatibility layer took about 8 ms of a
 * 30 ms start (`npm run bench:cold-start`).
 */
export const denoReadTextFileSync: ReadTextFileSync = (file) =>
  (globalThis as unknown as { Deno: DenoGlobal }).Deno.readTextFileSync(file)
