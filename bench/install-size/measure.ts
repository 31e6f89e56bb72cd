// What a host installs: the packed tarball in a fresh project beside `hono`, alone (health, version, metrics) and
// with each optional peer a feature needs, installed offline from the cache as test/package/consumer.test.ts does.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { installConsumer, packTarball } from '../../test/helpers/consumer-project.ts'
import type { Heading, Section } from '../section.ts'

/** This benchmark's title and command in bench/RESULTS.md. */
export const INSTALL_SIZE: Heading = {
  title: 'Installed size in a host project',
  command: 'npm run bench:install-size',
}

const DESCRIPTION = `The packed tarball (\`npm pack\`) installed with \`hono\` into a fresh project, as a host installs it, then
with each optional peer that a feature needs. Sizes are \`du\` of the project's \`node_modules\`; packages counts every
installed package, the module and \`hono\` included. No ratio: the first row is the reference the others add to.`

const SETUPS: readonly { readonly what: string; readonly peers: readonly string[] }[] = [
  {
    what: 'the module and `hono` (health, version, metrics, the relay on Deno, Bun and the edge)',
    peers: [],
  },
  { what: '+ `mysql2` (`database.url`)', peers: ['mysql2'] },
  { what: '+ `undici` (the relay and the push on Node)', peers: ['undici'] },
  { what: '+ `@bufbuild/protobuf`, `snappyjs` (the push)', peers: ['@bufbuild/protobuf', 'snappyjs'] },
  { what: 'every optional peer', peers: ['mysql2', 'undici', '@bufbuild/protobuf', 'snappyjs'] },
]

const MIB = 1024 * 1024

/**
 * Packs the module once and installs it in each setup.
 * @example const section = installSizeSection()
 */
export function installSizeSection(): Section {
  const packed = mkdtempSync(join(tmpdir(), 'meshstack-pack-'))
  try {
    const tarball = packTarball(packed)
    const rows = SETUPS.map(({ what, peers }) => {
      const host = installConsumer({ tarball, packages: ['hono', ...peers] })
      try {
        const bytes = Number(
          execFileSync('du', ['-sb', 'node_modules'], { cwd: host.dir, encoding: 'utf8' }).split('\t')[0],
        )
        const packages =
          execFileSync('npm', ['ls', '--all', '--parseable'], { cwd: host.dir, encoding: 'utf8' })
            .split('\n')
            .filter(Boolean).length - 1
        return `| ${what} | ${packages} | ${(bytes / MIB).toFixed(1)} MiB |`
      } finally {
        host.remove()
      }
    })
    return {
      ...INSTALL_SIZE,
      description: DESCRIPTION,
      body: ['| a host installs | packages | node_modules |', '| --- | --- | --- |', ...rows].join('\n'),
      goals: [],
    }
  } finally {
    rmSync(packed, { recursive: true, force: true })
  }
}
