// Clears what `tsc -p tsconfig.build.json` wrote into dist/ before it writes again, so that a file since renamed or
// removed in src/ never reaches the tarball. The bundles and the API reference beside it (dist/server, dist/bun,
// dist/edge, the browser's tracker.js, dist/api) stay: servers started by the test suite may be running from them
// while it packs.
import { type Dirent, readdirSync, rmSync } from 'node:fs'

const dist = new URL('../dist/', import.meta.url)
const BUNDLES = new Set(['api', 'server', 'bun', 'edge', 'browser/tracker.js'])

function clear(folder: string): void {
  let entries: Dirent[]
  try {
    entries = readdirSync(new URL(folder, dist), { withFileTypes: true })
  } catch {
    return
  }
  for (const entry of entries) {
    const path = `${folder}${entry.name}`
    if (BUNDLES.has(path)) continue
    if (entry.isDirectory() && [...BUNDLES].some((bundle) => bundle.startsWith(`${path}/`))) clear(`${path}/`)
    else rmSync(new URL(path, dist), { recursive: true, force: true })
  }
}

clear('')
