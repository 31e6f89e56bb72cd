import { readFileSync } from 'node:fs'
import type { ReadTextFileSync } from '../../runtime/files.ts'

/** node:fs, on Node and on Bun (where it is native). */
export const nodeReadTextFileSync: ReadTextFileSync = (file) => readFileSync(file, 'utf8')
