import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { isAbsolute, join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { discoverBuildInfo, type ReadTextFile } from '../../src/mod.ts'
import { git } from '../helpers/git.ts'

/** Reads like the Node adapter does, but relative to a scratch checkout. */
const readerFor =
  (root: string): ReadTextFile =>
  async (path) =>
    readFile(isAbsolute(path) ? path : join(root, path), 'utf8').catch(() => undefined)

describe('build info discovered from package.json and the git checkout, without spawning git', () => {
  let root: string
  let commit: string
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'build-info-'))
    await writeFile(join(root, 'package.json'), '{"name":"x","version":"2.3.4"}')
    git(root, 'init', '-q', '-b', 'main')
    git(root, 'add', 'package.json')
    git(root, 'commit', '-qm', 'first')
    commit = git(root, 'rev-parse', 'HEAD')
  })
  after(() => rm(root, { recursive: true, force: true }))

  it('reads the version, the 10-character commit and the branch of a normal clone', async () => {
    assert.deepEqual(await discoverBuildInfo(readerFor(root)), {
      package: '2.3.4',
      git: commit.slice(0, 10),
      branch: 'main',
    })
  })

  it('follows packed refs', async () => {
    git(root, 'pack-refs', '--all')
    assert.equal((await discoverBuildInfo(readerFor(root))).git, commit.slice(0, 10))
  })

  it('reports HEAD as the branch of a detached checkout, as CI systems have', async () => {
    git(root, 'checkout', '-q', '--detach')
    assert.deepEqual(await discoverBuildInfo(readerFor(root)), {
      package: '2.3.4',
      git: commit.slice(0, 10),
      branch: 'HEAD',
    })
    git(root, 'checkout', '-q', 'main')
  })

  it('reads a linked worktree, whose .git is a file', async () => {
    const worktree = `${root}-worktree`
    git(root, 'worktree', 'add', '-q', '-b', 'feature/x', worktree)
    try {
      assert.deepEqual(await discoverBuildInfo(readerFor(worktree)), {
        package: '2.3.4',
        git: commit.slice(0, 10),
        branch: 'feature/x',
      })
    } finally {
      await rm(worktree, { recursive: true, force: true })
    }
  })

  it('lets explicit values win, as container builds pass them', async () => {
    const info = await discoverBuildInfo(readerFor(root), {
      package: '7.7.7',
      git: '123456789a',
      branch: 'HEAD',
    })
    assert.deepEqual(info, { package: '7.7.7', git: '123456789a', branch: 'HEAD' })
  })

  it('leaves the commit and branch unknown where there is no checkout', async () => {
    const bare = await mkdtemp(join(tmpdir(), 'no-git-'))
    try {
      assert.deepEqual(await discoverBuildInfo(readerFor(bare)), {
        package: undefined,
        git: undefined,
        branch: undefined,
      })
    } finally {
      await rm(bare, { recursive: true, force: true })
    }
  })
})
