// Bundles the Bun server (src/bin/bun.ts) into dist/bun/, what `npm run start:bun` runs; run by Bun itself:
// `bun scripts/build-bun-server.ts` (npm run build:server:bun). Bun's own bundler marks its output as already
// transpiled for Bun (`// @bun`), and writes Bun's bytecode next to it (`bun.js.jsc`), which Bun then runs without
// parsing or compiling the bundle: a third of the server's start (bench/HISTORY.md). Bun's bytecode needs
// CommonJS, whose bundles are one file: the database, relay and push stay in it, evaluated when first used.
// Quiet unless it fails, as esbuild is for the other servers: stdout is the server's log. mysql2 and undici stay
// outside, as in the Node bundle.
// `bun scripts/build-bun-server.ts <entry> <folder>` bundles another entry the same way: the cold start benchmark's
// bare Hono app, so that its reference loads as the module does.
import { rmSync } from 'node:fs'

const fromRoot = (path: string): string => new URL(`../${path}`, import.meta.url).pathname

interface BuildOutput {
  readonly success: boolean
  readonly logs: readonly unknown[]
}
declare const Bun: {
  readonly argv: readonly string[]
  build(options: {
    entrypoints: string[]
    outdir: string
    target: 'bun'
    format: 'cjs'
    bytecode: boolean
    external: string[]
  }): Promise<BuildOutput>
}

const [, , entry = fromRoot('src/bin/bun.ts'), outdir = fromRoot('dist/bun')] = Bun.argv
// A build that failed, or one of another layout, must leave nothing behind that Bun could still load.
rmSync(outdir, { recursive: true, force: true })
const { success, logs } = await Bun.build({
  entrypoints: [entry],
  outdir,
  target: 'bun',
  format: 'cjs',
  bytecode: true,
  external: ['mysql2', 'undici'],
})
for (const log of logs) console.error(log)
if (!success) process.exit(1)
