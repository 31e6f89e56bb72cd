import assert from 'node:assert/strict'
import { readdir, readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { describe, it } from 'node:test'
import { PROJECT_ROOT } from './helpers/project.ts'

// Only these folders may touch a runtime: the core must run on an edge runtime given its inputs.
const RUNTIME_FOLDERS = ['src/adapter/', 'src/bin/']
const RUNTIME_SPECIFIC = [
  { what: 'a node: module', pattern: /from ['"]node:|import\(['"]node:/ },
  { what: 'a Node/Bun/Deno-only package', pattern: /from ['"](@hono\/node-server|hono\/(bun|deno))/ },
  { what: 'a runtime global', pattern: /\b(process|Deno|Bun|Buffer|__dirname|require)\s*[.([]/ },
]

// Comments may name runtimes (in @example lines); only code counts.
const withoutComments = (text: string): string =>
  text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '')

async function sourceFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true })
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name))
}

describe('portable core', () => {
  it('imports no node: module and touches no runtime global outside src/adapter and src/bin', async () => {
    const offences: string[] = []
    for (const file of await sourceFiles(join(PROJECT_ROOT, 'src'))) {
      const path = relative(PROJECT_ROOT, file)
      if (RUNTIME_FOLDERS.some((folder) => path.startsWith(folder))) continue
      const text = withoutComments(await readFile(file, 'utf8'))
      for (const { what, pattern } of RUNTIME_SPECIFIC)
        if (pattern.test(text)) offences.push(`${path} uses ${what}`)
    }
    assert.deepEqual(offences, [])
  })
})
