// The database driver loads with the first query, not with the server: a server without a database, or before its
// first check, never pays for mysql2.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { lazyDatabase } from '../../src/adapter/shared/lazy-database.ts'
import type { DatabaseClient, DatabaseConnector } from '../../src/runtime/database.ts'
import { MissingPackageError } from '../../src/runtime/optional-package.ts'

const SETTINGS = {
  url: 'mysql://meshstack@db/meshstack',
  timeoutMs: 1000,
  connectionLimit: 4,
  showHost: false,
}

describe('a lazily loaded database driver', () => {
  it('loads once, with the first query, and answers through the real client from then on', async () => {
    let loads = 0
    const client: DatabaseClient = {
      validate: async () => ({ product: 'MariaDB', result: 1 }),
      query: async () => [{ value: 7 }],
      pool: () => ({ active: 1, idle: 2, pending: 0, max: 4, rejected: 0 }),
      lastValidationSeconds: () => 0.002,
      close: async () => {},
    }
    const connect = lazyDatabase(async () => {
      loads++
      return (() => client) satisfies DatabaseConnector
    })(SETTINGS)

    assert.equal(loads, 0, 'nothing loaded at start')
    assert.deepEqual(
      connect.pool(),
      { active: 0, idle: 0, pending: 0, max: 4, rejected: 0 },
      'an empty pool until then',
    )
    assert.equal(connect.lastValidationSeconds(), undefined)
    const signal = new AbortController().signal
    assert.deepEqual(
      await Promise.all([connect.query('SELECT 7', signal), connect.validate('SELECT 1', signal)]),
      [[{ value: 7 }], { product: 'MariaDB', result: 1 }],
    )
    assert.equal(loads, 1)
    assert.equal(connect.pool().idle, 2)
    assert.equal(connect.lastValidationSeconds(), 0.002)
  })

  it('closes without loading anything when nothing was opened', async () => {
    let loads = 0
    const connect = lazyDatabase(async () => {
      loads++
      throw new Error('not to be loaded')
    })(SETTINGS)

    await connect.close()

    assert.equal(loads, 0)
  })

  it('answers every query with the load failure, and closes without one, when the driver cannot be loaded', async () => {
    const missing = new MissingPackageError('mysql2', 'database.url (DATABASE_URL)')
    const connect = lazyDatabase(async () => {
      throw missing
    })(SETTINGS)
    const signal = new AbortController().signal
    await assert.rejects(connect.validate('SELECT 1', signal), missing)
    await assert.rejects(connect.query('SELECT 7', signal), missing)
    // Nothing was opened: a host's shutdown must not fail for it.
    await connect.close()
  })
})
