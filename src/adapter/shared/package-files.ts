import { fileErrorCode, type ReadTextFileSync } from '../../runtime/files.ts'
import type { ReadTextFile } from '../../version/build-info.ts'

/**
 * Reads files relative to the package's root folder `root` (absolute paths as they are); missing files and folders
 * give undefined.
 * Read synchronously: the version is read once, before the server listens, and the five small reads took 6 to 7 ms
 * of Node's start through node:fs/promises (whose first use starts libuv's thread pool), under 1 ms this way.
 * @example await discoverBuildInfo(packageFiles(nodeReadTextFileSync, new URL('../../', import.meta.url)), overrides)
 */
export function packageFiles(readTextFileSync: ReadTextFileSync, root: URL): ReadTextFile {
  return async (path) => {
    try {
      return readTextFileSync(new URL(asUrlPath(path), root))
    } catch (error) {
      if (isMissing(error)) return undefined
      throw error
    }
  }
}

/**
 * A POSIX path as a URL path: relative ones resolve against the root, absolute ones replace its path. Each segment is
 * escaped, since git allows `#`, `?` and `%` in branch names and a loose ref's file is named after its branch; no
 * node:path, which on Deno would set up its Node compatibility at start.
 */
const asUrlPath = (path: string): string => path.split('/').map(encodeURIComponent).join('/')

const isMissing = (error: unknown): boolean =>
  ['ENOENT', 'EISDIR', 'ENOTDIR'].includes(fileErrorCode(error) ?? '')
