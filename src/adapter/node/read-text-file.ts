import { readFileSync } from 'node:fs'
import type { ReadTextFileSync } from '../../runtime/files.ts'

/** node:fs, on Node. Apart from the spool's folder (files.ts), which Bun's entry shares and loads node:fs lazily. */
export const nodeReadTextFileSync: ReadTextFileSync = (file) => readFileSync(file, 'utf8')
