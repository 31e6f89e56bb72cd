import assert from 'node:assert/strict'
import { ConfigError } from '../../src/config/config-error.ts'

/**
 * The message of the ConfigError `run` throws. Any other error (a TypeError from `new URL()`, a URIError) fails the
 * test: a configuration error must read as one, never as a crash.
 */
export function configErrorMessage(run: () => unknown): string {
  try {
    run()
  } catch (error) {
    if (error instanceof ConfigError) return error.message
    throw error
  }
  assert.fail('no ConfigError')
}
