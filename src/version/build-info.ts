/** What GET /version reports, resolved once at start. */
export interface BuildInfo {
  /** The package version, e.g. "7.7.7". */
  readonly package: string
  /** The first 10 characters of the commit hash, or "unknown". */
  readonly git: string
  /** The branch name, "HEAD" for a detached checkout, or "unknown". */
  readonly branch: string
}

/** Build info as far as it is known; what is missing reads "unknown" on /version. */
export type PartialBuildInfo = { readonly [K in keyof BuildInfo]?: string | undefined }

/**
 * Build info with "unknown" for what is not known.
 * @example completeBuildInfo({ package: '7.7.7' }) // { package: '7.7.7', git: 'unknown', branch: 'unknown' }
 */
export const completeBuildInfo = ({ package: version, git, branch }: PartialBuildInfo): BuildInfo => ({
  package: version ?? 'unknown',
  git: git ?? 'unknown',
  branch: branch ?? 'unknown',
})

/** Reads a text file by path; undefined when it does not exist. Injected so the core needs no filesystem. */
export type ReadTextFile = (path: string) => Promise<string | undefined>

/**
 * Discovers build info from a package directory without spawning git: values in `overrides` (how container
 * builds pass them) win, the rest come from `package.json` and the `.git` folder.
 * @example await discoverBuildInfo(readFromPackageRoot, { git: '123456789a' })
 */
export async function discoverBuildInfo(
  readText: ReadTextFile,
  overrides: PartialBuildInfo = {},
): Promise<PartialBuildInfo> {
  const [packageVersion, checkout] = await Promise.all([
    overrides.package ?? readPackageVersion(readText),
    overrides.git !== undefined && overrides.branch !== undefined ? undefined : readCheckout(readText),
  ])
  return {
    package: packageVersion,
    git: overrides.git ?? checkout?.commit.slice(0, 10),
    branch: overrides.branch ?? checkout?.branch,
  }
}

async function readPackageVersion(readText: ReadTextFile): Promise<string | undefined> {
  const text = await readText('package.json')
  if (text === undefined) return undefined
  const { version } = JSON.parse(text) as { version?: unknown }
  return typeof version === 'string' ? version : undefined
}

interface Checkout {
  readonly commit: string
  readonly branch: string
}

/** Follows `.git/HEAD` the way git does: a symbolic ref to a loose or packed ref, or a detached hash. */
async function readCheckout(readText: ReadTextFile): Promise<Checkout | undefined> {
  const gitDir = await locateGitDir(readText)
  if (gitDir === undefined) return undefined
  const head = (await readText(`${gitDir}/HEAD`))?.trim()
  if (head === undefined) return undefined
  if (!head.startsWith('ref: ')) return isCommit(head) ? { commit: head, branch: 'HEAD' } : undefined
  const ref = head.slice('ref: '.length)
  const commonDir = await readCommonDir(readText, gitDir)
  const commit =
    (await readText(`${commonDir}/${ref}`))?.trim() ?? (await readPackedRef(readText, commonDir, ref))
  const branch = ref.replace(/^refs\/heads\//, '')
  return commit !== undefined && isCommit(commit) ? { commit, branch } : undefined
}

/** `.git` is a folder in a clone, and a file pointing elsewhere in a worktree or submodule. */
async function locateGitDir(readText: ReadTextFile): Promise<string | undefined> {
  const pointer = await readText('.git')
  if (pointer === undefined) return (await readText('.git/HEAD')) === undefined ? undefined : '.git'
  const target = /^gitdir: (.+)$/m.exec(pointer)?.[1]?.trim()
  return target
}

async function readCommonDir(readText: ReadTextFile, gitDir: string): Promise<string> {
  const common = (await readText(`${gitDir}/commondir`))?.trim()
  if (common === undefined) return gitDir
  return common.startsWith('/') ? common : `${gitDir}/${common}`
}

async function readPackedRef(
  readText: ReadTextFile,
  gitDir: string,
  ref: string,
): Promise<string | undefined> {
  const packed = await readText(`${gitDir}/packed-refs`)
  const line = packed?.split('\n').find((entry) => entry.endsWith(` ${ref}`))
  return line?.split(' ')[0]
}

const isCommit = (text: string): boolean => /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(text)
