// The standalone server reads its version files (package.json, .git) relative to the package's root through
// packageFiles (src/adapter/shared/package-files.ts). Git allows `#`, `?` and `%` in branch names, and a loose ref is a
// file named after its branch: refs/heads/fix#12 must be read as that file, not as a URL whose `#12` is a fragment.
import assert from 'node:assert/strict'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { pathToFileURL } from 'node:url'
import { nodeReadTextFileSync } from '../../src/adapter/node/files.ts'
import { packageFiles } from '../../src/adapter/shared/package-files.ts'
import { PROJECT_ROOT } from '../helpers/project.ts'

describe('files read relative to the package root', () => {
  const read = packageFiles(nodeReadTextFileSync, pathToFileURL(PROJECT_ROOT))
  let dir: string
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'package-files-'))
    await mkdir(join(dir, 'refs', 'heads'), { recursive: true })
    for (const name of ['fix#12', 'what?', '100%25', 'space here', 'plain'])
      await writeFile(join(dir, 'refs', 'heads', name), `${name}\n`)
  })
  after(() => rm(dir, { recursive: true, force: true }))

  it('reads a path relative to the root, and an absolute path as it is', async () => {
    assert.equal(JSON.parse((await read('package.json')) ?? '{}').name, '@meshcloud/meshstack-telemetry')
    assert.equal(await read(join(dir, 'refs/heads/plain')), 'plain\n')
  })

  it('reads file names holding characters that mean something in a URL (#, ?, %, spaces)', async () => {
    const fromRoot = relative(PROJECT_ROOT, dir)
    for (const name of ['fix#12', 'what?', '100%25', 'space here']) {
      assert.equal(await read(`${fromRoot}/refs/heads/${name}`), `${name}\n`, `relative: ${name}`)
      assert.equal(await read(`${dir}/refs/heads/${name}`), `${name}\n`, `absolute: ${name}`)
    }
  })

  it('gives undefined for a missing file or folder', async () => {
    assert.equal(await read(`${dir}/refs/heads/missing`), undefined)
    assert.equal(await read(`${dir}/missing/HEAD`), undefined)
  })
})
