import { statfs } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { SystemProbe } from '../runtime/capabilities.ts'

/** node:fs works the same on Node, Deno (with --allow-read) and Bun. */
export const nodeSystemProbe: SystemProbe = {
  async diskSpace(path) {
    const absolute = resolve(path)
    try {
      const stats = await statfs(absolute)
      return {
        path: absolute,
        exists: true,
        totalBytes: stats.blocks * stats.bsize,
        freeBytes: stats.bavail * stats.bsize,
      }
    } catch (error) {
      if (error instanceof Error && 'code' in error && error.code === 'ENOENT') {
        return { path: absolute, exists: false, totalBytes: 0, freeBytes: 0 }
      }
      throw error
    }
  },
}
