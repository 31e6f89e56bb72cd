import type { ReadTextFileSync } from '../../runtime/files.ts'
import { deno } from './api.ts'

/**
 * Deno's own read: the standalone server on Deno loads no node:fs, whose compatibility layer took about 8 ms of a
 * 30 ms start (`npm run bench:cold-start`).
 */
export const denoReadTextFileSync: ReadTextFileSync = (file) => deno().readTextFileSync(file)
