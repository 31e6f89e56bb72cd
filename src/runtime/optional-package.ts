/**
 * A package that only one feature needs is an optional peer of the module: a host that leaves the feature off need
 * not install it. When the feature is on and the package is missing, the feature fails with this error, naming the
 * package and the setting, in place of the runtime's "Cannot find package".
 */
export class MissingPackageError extends Error {
  /** `MissingPackageError`, for logs that print the name. */
  override readonly name = 'MissingPackageError'
  /** The package to install, e.g. `mysql2`. */
  readonly packageName: string

  /** `setting` names what turned the feature on, e.g. `database.url (DATABASE_URL)`. */
  constructor(packageName: string, setting: string) {
    super(
      `Cannot load ${packageName}, which ${setting} needs: install it next to the module (npm install ${packageName})`,
    )
    this.packageName = packageName
  }
}

// Node, Deno and Bun set ERR_MODULE_NOT_FOUND; a bundle's own loader may only say "Cannot find module".
const NOT_FOUND = /Cannot find (module|package)/

/**
 * `load()`, with one of `packages` missing reported as a `MissingPackageError`; other failures as they are.
 * @example const mysql = await loadOptional(() => import('mysql2/promise'), ['mysql2'], 'database.url')
 */
export async function loadOptional<T>(
  load: () => Promise<T>,
  packages: readonly string[],
  setting: string,
): Promise<T> {
  try {
    return await load()
  } catch (error) {
    if (!(error instanceof Error)) throw error
    const notFound =
      (error as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND' || NOT_FOUND.test(error.message)
    // Quoted as the runtimes quote it: a dependency of the optional package that is missing is not taken for it.
    const missing = notFound
      ? packages.find((name) => error.message.includes(`'${name}'`) || error.message.includes(`"${name}"`))
      : undefined
    throw missing === undefined ? error : new MissingPackageError(missing, setting)
  }
}
