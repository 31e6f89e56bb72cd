// The standalone server loads the relay and the push only when configured (issue 14): a server with both off starts
// without their code, nor the push's protobuf and snappy or the relay's address parsing; on Deno, without any node:
// module.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { openFetchHttpClient } from '../../src/adapter/shared/fetch-http-client.ts'
import { composeTelemetryApp } from '../../src/app.ts'
import { resolveOptions } from '../../src/options.ts'
import { configuredFeatures } from '../../src/standalone/configured-features.ts'
import { PROJECT_ROOT } from '../helpers/project.ts'

const RELAY_ON = {
  plausible: { enabled: true, url: 'https://plausible.example', domain: 'panel.example' },
} as const
const PUSH_ON = {
  remoteWrite: { url: 'https://metrics.example/api/v1/write', installationId: 'customer-a' },
} as const

describe('the optional features of the standalone server', () => {
  it('are imported only when the options turn them on', async () => {
    const loaded = async (options: Parameters<typeof resolveOptions>[0]) => {
      const { relay, push } = await configuredFeatures(resolveOptions(options))
      return { relay: relay !== undefined, push: push !== undefined }
    }
    assert.deepEqual(await loaded({}), { relay: false, push: false })
    assert.deepEqual(await loaded(RELAY_ON), { relay: true, push: false })
    assert.deepEqual(await loaded(PUSH_ON), { relay: false, push: true })
    assert.deepEqual(await loaded({ ...RELAY_ON, ...PUSH_ON }), { relay: true, push: true })
  })

  it('are what the app needs: it composes from them whatever the options turn on', async () => {
    for (const options of [{}, RELAY_ON, PUSH_ON, { ...RELAY_ON, ...PUSH_ON }]) {
      const resolved = resolveOptions({ ...options, log: () => {} })
      const app = composeTelemetryApp(
        resolved,
        { openHttpClient: openFetchHttpClient },
        {
          features: await configuredFeatures(resolved),
        },
      )
      assert.equal((await app.request('/version')).status, 200)
      await app.lifecycle.close()
    }
  })

  it('are left out of what the Node and Deno bundles load at start, and kept in chunks of their own', async () => {
    const out = await mkdtemp(join(tmpdir(), 'server-bundle-'))
    try {
      // The build that npm start and npm run start:deno run first, with esbuild's account of what went where.
      execFileSync(
        'npm',
        ['run', 'build:server', '--silent', '--', `--outdir=${out}`, `--metafile=${join(out, 'meta.json')}`],
        { cwd: PROJECT_ROOT, stdio: 'inherit' },
      )
      const { outputs } = JSON.parse(await readFile(join(out, 'meta.json'), 'utf8')) as {
        outputs: Record<
          string,
          { inputs: Record<string, unknown>; imports: { path: string; kind: string; external?: boolean }[] }
        >
      }
      // What loads at start: the entry and the chunks it imports statically.
      const atStart = (entryFile: string) => {
        const entry = Object.entries(outputs).find(([path]) => path.endsWith(entryFile))?.[1]
        assert.ok(entry, `${entryFile} is built`)
        return [
          entry,
          ...entry.imports
            .filter(({ kind, external }) => kind === 'import-statement' && !external)
            .map(({ path }) => outputs[path]),
        ]
      }
      // Their option schemas stay: options are validated at start, whatever they turn on.
      const optional =
        /src\/(relay\/(?!off|options)|push\/(?!off|preview|options))|node_modules\/(@bufbuild|snappyjs|ipaddr\.js)\//
      for (const entryFile of ['/node.js', '/deno.js']) {
        const inputs = atStart(entryFile).flatMap((output) => Object.keys(output?.inputs ?? {}))
        assert.deepEqual(
          inputs.filter((input) => optional.test(input)),
          [],
          entryFile,
        )
      }
      const elsewhere = Object.values(outputs).flatMap((output) => Object.keys(output.inputs))
      for (const input of ['src/relay/feature.ts', 'src/push/feature.ts'])
        assert.ok(elsewhere.includes(input), `${input} is in a chunk of its own`)
      // Deno sets up its Node compatibility when the first node: module is loaded, about a tenth of the server's
      // start: its server reads files, variables and the host's name with Deno's own API, and loads node:os,
      // node:path and node:fs/promises for the system metrics and the disk check on their first use.
      const denoBuiltins = atStart('/deno.js').flatMap((output) =>
        (output?.imports ?? [])
          .filter(({ kind, path }) => kind === 'import-statement' && path.startsWith('node:'))
          .map(({ path }) => path),
      )
      assert.deepEqual(denoBuiltins, [])
    } finally {
      await rm(out, { recursive: true, force: true })
    }
  })
})
