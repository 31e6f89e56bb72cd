import { isAbsolute } from 'node:path'
import type { ReadTextFileSync } from '../runtime/files.ts'
import type { ReadTextFile } from '../version/build-info.ts'

// src/adapter/, dist/adapter/ and the server bundles' dist/server/ and dist/bun/ all sit two levels below the
// package root.
const PACKAGE_ROOT = new URL('../../', import.meta.url)

/**
 * Reads files relative to this package's root (absolute paths as they are); missing files and folders give undefined.
 * Read synchronously: the version is read once, before the server listens, and the five small reads took 6 to 7 ms
 * of Node's start through node:fs/promises (whose first use starts libuv's thread pool), under 1 ms this way.
 * @example await discoverBuildInfo(packageFiles(nodeReadTextFileSync), overrides)
 */
export function packageFiles(readTextFileSync: ReadTextFileSync): ReadTextFile {
  return async (path) => {
    try {
      return readTextFileSync(isAbsolute(path) ? path : new URL(path, PACKAGE_ROOT))
    } catch (error) {
      if (isMissing(error)) return undefined
      throw error
    }
  }
}

const isMissing = (error: unknown): boolean =>
  error instanceof Error && 'code' in error && ['ENOENT', 'EISDIR', 'ENOTDIR'].includes(String(error.code))
