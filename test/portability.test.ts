import assert from 'node:assert/strict'
import { readdir, readFile } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'
import { describe, it } from 'node:test'
import { PROJECT_ROOT } from './helpers/project.ts'

// What an edge runtime loads: the edge entry and everything it imports, followed file by file.
const EDGE_ENTRIES = ['src/edge.ts', 'src/bin/workerd.ts']
const RUNTIME_SPECIFIC = [
  { what: 'a node: module', pattern: /from ['"]node:|import\(['"]node:/ },
  { what: 'a Node/Bun/Deno-only package', pattern: /from ['"](@hono\/node-server|hono\/(bun|deno)|mysql2)/ },
  { what: 'a runtime global', pattern: /\b(process|Deno|Bun|Buffer|__dirname|require)\s*[.([]/ },
]

// Comments may name runtimes (in @example lines); only code counts.
const withoutComments = (text: string): string =>
  text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '')

async function reachableFiles(entries: readonly string[]): Promise<Map<string, string>> {
  const files = new Map<string, string>()
  const pending = entries.map((entry) => join(PROJECT_ROOT, entry))
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (files.has(file)) continue
    const code = withoutComments(await readFile(file, 'utf8'))
    files.set(file, code)
    for (const [, target] of code.matchAll(/from '(\.{1,2}\/[^']+\.ts)'/g))
      pending.push(join(dirname(file), target ?? ''))
  }
  return files
}

describe('portable core', () => {
  it('loads no node: module, server-only package or runtime global on an edge runtime', async () => {
    const files = await reachableFiles(EDGE_ENTRIES)
    assert.ok(files.size > 20, `followed the imports (${files.size} files)`)
    const offences: string[] = []
    for (const [file, code] of files) {
      for (const { what, pattern } of RUNTIME_SPECIFIC) {
        if (pattern.test(code)) offences.push(`${relative(PROJECT_ROOT, file)} uses ${what}`)
      }
    }
    assert.deepEqual(offences, [])
  })
})

describe('the runtime at the edges only', () => {
  // The hosts and the adapters may touch the runtime; everything else is the portable core.
  const EDGES = /^src\/(adapter|standalone|bin)\/|^src\/mod\.ts$/

  it('keeps node: modules, server-only packages and runtime globals out of the core', async () => {
    const offences: string[] = []
    for (const file of await sourceFiles()) {
      if (EDGES.test(file)) continue
      const code = withoutComments(await readFile(join(PROJECT_ROOT, file), 'utf8'))
      for (const { what, pattern } of RUNTIME_SPECIFIC)
        if (pattern.test(code)) offences.push(`${file} uses ${what}`)
    }
    assert.deepEqual(offences, [])
  })

  it('writes no HTTP by hand: no socket is opened and no HTTP/1.x line is framed or parsed anywhere in src/', async () => {
    const offences: string[] = []
    for (const file of await sourceFiles()) {
      const code = withoutComments(await readFile(join(PROJECT_ROOT, file), 'utf8'))
      if (/^import (?!type)[^\n]*from 'node:(net|tls|dgram)'/m.test(code))
        offences.push(`${file} opens sockets`)
      if (/HTTP\/1\.[01]|\\r\\n/.test(code)) offences.push(`${file} frames HTTP`)
    }
    assert.deepEqual(offences, [])
  })
})

async function sourceFiles(): Promise<string[]> {
  const entries = await readdir(join(PROJECT_ROOT, 'src'), { recursive: true, withFileTypes: true })
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(PROJECT_ROOT, join(entry.parentPath, entry.name)))
}
