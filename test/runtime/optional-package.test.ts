// A feature's own package is an optional peer: missing, it is named with the setting that needs it.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { loadOptional, MissingPackageError } from '../../src/runtime/optional-package.ts'

const IMPORT_MISSING = () => import('meshstack-package-that-is-not-installed' as string)

describe('loadOptional', () => {
  it("names the missing package and the setting that needs it, in place of the runtime's error", async () => {
    await assert.rejects(
      loadOptional(
        IMPORT_MISSING,
        ['meshstack-package-that-is-not-installed'],
        'database.url (DATABASE_URL)',
      ),
      (error: unknown) =>
        error instanceof MissingPackageError &&
        error.packageName === 'meshstack-package-that-is-not-installed' &&
        error.message ===
          'Cannot load meshstack-package-that-is-not-installed, which database.url (DATABASE_URL) needs: install it next to the module (npm install meshstack-package-that-is-not-installed)',
    )
  })

  it('leaves a package that is missing among the optional one’s own dependencies as the runtime said it', async () => {
    await assert.rejects(
      loadOptional(IMPORT_MISSING, ['meshstack-package'], 'database.url'),
      (error: unknown) =>
        !(error instanceof MissingPackageError) && /Cannot find package/.test(String(error)),
    )
  })

  it('passes other failures on as they are, and what loaded once it has', async () => {
    const broken = new TypeError('the driver failed at load')
    await assert.rejects(
      loadOptional(() => Promise.reject(broken), ['mysql2'], 'database.url'),
      broken,
    )
    assert.equal(await loadOptional(async () => 42, ['mysql2'], 'database.url'), 42)
  })
})
