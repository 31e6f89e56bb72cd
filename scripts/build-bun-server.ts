// Bundles the Bun server (src/bin/bun.ts) into dist/bun/, what `npm run start:bun` runs; run by Bun itself:
// `bun scripts/build-bun-server.ts` (npm run build:server:bun). Bun's own bundler marks its output as already
// transpiled for Bun (`// @bun`), which esbuild's cannot: the bundle starts in two thirds of the time of src/
// (bench/HISTORY.md). Quiet unless it fails, as esbuild is for the other servers: stdout is the server's log.
// mysql2 and undici stay outside, as in the Node bundle; the database, relay and push are chunks loaded when used.

interface BuildOutput {
  readonly success: boolean
  readonly logs: readonly unknown[]
}
declare const Bun: {
  build(options: {
    entrypoints: string[]
    outdir: string
    target: 'bun'
    splitting: boolean
    external: string[]
  }): Promise<BuildOutput>
}

const { success, logs } = await Bun.build({
  entrypoints: [new URL('../src/bin/bun.ts', import.meta.url).pathname],
  outdir: new URL('../dist/bun', import.meta.url).pathname,
  target: 'bun',
  splitting: true,
  external: ['mysql2', 'undici'],
})
for (const log of logs) console.error(log)
if (!success) process.exit(1)
