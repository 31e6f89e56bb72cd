// A fresh project that installs the packed tarball as a host application would, without the network: its lockfile
// is cut from this repository's own, so `npm ci --offline` finds every package in the cache `npm ci` filled here.
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CHILD_ENV, PROJECT_ROOT } from './project.ts'

interface LockEntry {
  readonly name?: string
  readonly version: string
  readonly dependencies?: Record<string, string>
  readonly optionalDependencies?: Record<string, string>
  readonly peerDependencies?: Record<string, string>
  readonly peerDependenciesMeta?: Record<string, { optional?: boolean }>
  readonly [key: string]: unknown
}
type Lock = Record<string, LockEntry>

const OWN_LOCK = (JSON.parse(readFileSync(`${PROJECT_ROOT}package-lock.json`, 'utf8')) as { packages: Lock })
  .packages

/** Runs a command to its end and returns what it printed (stdout, then stderr); throws with it when it fails. */
export function mustRun(argv: readonly string[], cwd: string, env: Record<string, string> = {}): string {
  const [command = '', ...args] = argv
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: { ...CHILD_ENV, ...env },
  })
  if (result.status !== 0)
    throw new Error(`${argv.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`)
  return `${result.stdout}${result.stderr}`
}

/** Packs this repository as `npm publish` would (its prepack builds dist/); the tarball's path. */
export function packTarball(into: string): string {
  mustRun(['npm', 'pack', '--silent', '--pack-destination', into], PROJECT_ROOT)
  const [tarball] = readdirSync(into).filter((name) => name.endsWith('.tgz'))
  if (tarball === undefined) throw new Error('npm pack wrote no tarball')
  return join(into, tarball)
}

/** The lock entry at `path` in this repository's tree, and every package it needs, found as Node finds them. */
function closure(paths: readonly string[], into: Lock, rename: Record<string, string> = {}): void {
  const pending = [...paths]
  for (let path = pending.pop(); path !== undefined; path = pending.pop()) {
    const target = rename[path] ?? path
    if (into[target] !== undefined) continue
    const entry = OWN_LOCK[path]
    if (entry === undefined) throw new Error(`${path} is not in package-lock.json`)
    const { name: alias, dev: _dev, devOptional: _devOptional, peer: _peer, ...kept } = entry
    // Without `resolved`, npm ci asks the registry for the package's metadata, which no cache here holds.
    const name = alias ?? path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length)
    const file = `${name.slice(name.lastIndexOf('/') + 1)}-${entry.version}.tgz`
    into[target] = { ...kept, resolved: `https://registry.npmjs.org/${name}/-/${file}` } as LockEntry
    const needed = {
      ...entry.dependencies,
      ...entry.optionalDependencies,
      ...Object.fromEntries(
        Object.entries(entry.peerDependencies ?? {}).filter(
          ([name]) => entry.peerDependenciesMeta?.[name]?.optional !== true,
        ),
      ),
    }
    for (const name of Object.keys(needed)) {
      const found = resolveFrom(path, name)
      // Optional dependencies for other platforms are in the lock; a missing one is one npm left out here too.
      if (found !== undefined) pending.push(found)
      else if (entry.optionalDependencies?.[name] === undefined) throw new Error(`${path} needs ${name}`)
    }
  }
}

function resolveFrom(path: string, name: string): string | undefined {
  for (let folder = path; ; folder = folder.slice(0, folder.lastIndexOf('/node_modules/'))) {
    const candidate = `${folder}/node_modules/${name}`
    if (OWN_LOCK[candidate] !== undefined) return candidate
    if (!folder.includes('/node_modules/')) return OWN_LOCK[`node_modules/${name}`] && `node_modules/${name}`
  }
}

export interface ConsumerOptions {
  /** The packed module. */
  readonly tarball: string
  /** Packages the host installs beside it, by name, at the version this repository's lock holds. */
  readonly packages: readonly string[]
  /** `hono` from another entry of this repository's lock, e.g. `node_modules/hono-4.12` (an npm alias). */
  readonly honoFrom?: string
}

/** A temporary folder holding the host's package.json and the installed tarball; `remove()` deletes it. */
export interface ConsumerProject {
  readonly dir: string
  remove(): void
}

/**
 * Installs the tarball and `packages` into a new folder with `npm ci --offline`: the tree npm would make for a host
 * whose package.json lists them, one `hono` at its root, which the module takes as its peer.
 * @example const host = installConsumer({ tarball, packages: ['hono', 'express'] })
 */
export function installConsumer({
  tarball,
  packages,
  honoFrom = 'node_modules/hono',
}: ConsumerOptions): ConsumerProject {
  const dir = mkdtempSync(join(tmpdir(), 'meshstack-consumer-'))
  const tarballName = tarball.slice(tarball.lastIndexOf('/') + 1)
  writeFileSync(join(dir, tarballName), readFileSync(tarball))
  const manifest = JSON.parse(
    mustRun(['tar', '-xOzf', tarball, 'package/package.json'], dir),
  ) as LockEntry & {
    bin?: Record<string, string>
    engines?: Record<string, string>
    license?: string
  }
  const lock: Lock = {}
  const hono = OWN_LOCK[honoFrom]
  if (hono === undefined) throw new Error(`${honoFrom} is not in package-lock.json`)
  closure([honoFrom], lock, { [honoFrom]: 'node_modules/hono' })
  closure(
    [...packages.filter((name) => name !== 'hono'), ...Object.keys(manifest.dependencies ?? {})].map(
      (name) => `node_modules/${name}`,
    ),
    lock,
  )
  const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`
  lock[`node_modules/${manifest.name}`] = {
    version: manifest.version,
    resolved: `file:${tarballName}`,
    integrity,
    license: manifest.license,
    dependencies: manifest.dependencies ?? {},
    peerDependencies: manifest.peerDependencies ?? {},
    peerDependenciesMeta: manifest.peerDependenciesMeta ?? {},
    ...(manifest.bin && { bin: manifest.bin }),
    ...(manifest.engines && { engines: manifest.engines }),
  }
  const dependencies: Record<string, string> = {
    [manifest.name ?? '']: `file:${tarballName}`,
    hono: hono.version,
    ...Object.fromEntries(
      packages
        .filter((name) => name !== 'hono')
        .map((name) => [name, OWN_LOCK[`node_modules/${name}`]?.version ?? '']),
    ),
  }
  const root = { name: 'meshpanel-host', version: '1.0.0', private: true, type: 'module', dependencies }
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(root, null, 2)}\n`)
  writeFileSync(
    join(dir, 'package-lock.json'),
    `${JSON.stringify({ ...root, lockfileVersion: 3, requires: true, packages: { '': root, ...lock } }, null, 2)}\n`,
  )
  mustRun(['npm', 'ci', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], dir)
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}
