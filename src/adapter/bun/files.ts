import { fileErrorCode, type ReadTextFileSync } from '../../runtime/files.ts'
import { nodeReadTextFileSync } from '../node/files.ts'
import { bun } from './api.ts'

const utf8 = new TextDecoder()

/**
 * Bun's own map of the file, decoded at once: the standalone server on Bun loads no node:fs to start, whose module
 * alone took 3.3 to 4.1 ms of Bun's 15 ms to listening (`npm run bench:cold-start`). What a map cannot hold (an
 * empty file, a pipe: EINVAL) is read by node:fs, loaded then.
 */
export const bunReadTextFileSync: ReadTextFileSync = (file) => {
  try {
    return utf8.decode(bun().mmap(file instanceof URL ? bun().fileURLToPath(file) : file))
  } catch (error) {
    if (fileErrorCode(error) === 'EINVAL') return nodeReadTextFileSync(file)
    throw error
  }
}
