import { readFileSync } from 'node:fs'
import { isAbsolute } from 'node:path'
import type { ReadTextFile } from '../version/build-info.ts'

// src/adapter/ and dist/adapter/ both sit two levels below the package root.
const PACKAGE_ROOT = new URL('../../', import.meta.url)

/**
 * Reads files relative to this package's root (absolute paths as they are); missing files and folders give undefined.
 * Read synchronously: the version is read once, before the server listens, and the five small reads took 6 to 7 ms
 * of Node's start through node:fs/promises (whose first use starts libuv's thread pool), under 1 ms this way.
 */
export const readPackageFile: ReadTextFile = async (path) => {
  try {
    return readFileSync(isAbsolute(path) ? path : new URL(path, PACKAGE_ROOT), 'utf8')
  } catch (error) {
    if (isMissing(error)) return undefined
    throw error
  }
}

const isMissing = (error: unknown): boolean =>
  error instanceof Error && 'code' in error && ['ENOENT', 'EISDIR', 'ENOTDIR'].includes(String(error.code))
