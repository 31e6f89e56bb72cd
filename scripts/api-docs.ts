// The API reference of the package's entries, from their JSDoc: `deno doc --lint` first, which fails on an exported
// symbol without JSDoc or explicit type and on a public type that refers to one not exported, then `deno doc --html`
// into dist/api/. `npm run check` runs it, so a missing or broken doc fails the build.
// Run: npm run docs:api
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync } from 'node:fs'

const ENTRIES = ['src/mod.ts', 'src/node.ts', 'src/edge.ts', 'src/browser/mod.ts']
const root = new URL('../', import.meta.url)
const { name, version } = JSON.parse(readFileSync(new URL('deno.json', root), 'utf8')) as Record<
  string,
  string
>

// `TelemetryApp` is a Hono app: `Hono` is the host's own (a peer dependency), documented by Hono, not re-exported.
const PEER_TYPES = new Set(['Hono'])

const deno = (args: readonly string[]) =>
  spawnSync('deno', args, {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' },
  })

const lint = deno(['doc', '--lint', ...ENTRIES])
const blocks = `${lint.stdout}${lint.stderr}`
  .split(/\n(?=error\[)/)
  .filter((block) => block.startsWith('error['))
const problems = blocks.filter((block) => {
  const privateType = /^error\[private-type-ref\]: .* references private type '([^']+)'/.exec(block)?.[1]
  return privateType === undefined || !PEER_TYPES.has(privateType)
})
if (problems.length > 0 || (lint.status !== 0 && blocks.length === 0)) {
  console.error(problems.length > 0 ? problems.join('\n') : lint.stderr)
  process.exit(1)
}
// deno doc writes into dist/api/ but does not make dist/, which a fresh clone has not.
mkdirSync(new URL('dist/api/', root), { recursive: true })
const html = deno(['doc', '--html', `--name=${name}`, `--output=dist/api`, ...ENTRIES])
if (html.status !== 0) {
  console.error(html.stderr)
  process.exit(1)
}
console.log(`deno doc: ${name} ${version}, no documentation problems, reference in dist/api/index.html`)
