// One list of secrets (src/config/secrets.ts) hides a secret in the messages of both readers: the options of
// createTelemetryApp and the standalone server's environment variables.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { resolveOptions, type TelemetryOptions } from '../../src/options.ts'
import { readStandaloneConfig } from '../../src/standalone/environment.ts'
import { configErrorMessage } from '../helpers/config-error.ts'

// Each secret set to a value that fails validation and carries the secret part "s3cret".
const SECRETS: readonly {
  readonly variable: string
  readonly value: string
  readonly options: TelemetryOptions
}[] = [
  { variable: 'MANAGEMENT_TOKEN', value: 's3cret', options: { managementToken: 's3cret' } },
  { variable: 'METRICS_PSEUDONYM_KEY', value: 's3cret', options: { metrics: { pseudonymKey: 's3cret' } } },
  {
    variable: 'DATABASE_URL',
    value: 'ftp://user:s3cret@db',
    options: { database: { url: 'ftp://user:s3cret@db' } },
  },
  {
    variable: 'PLAUSIBLE_URL',
    value: 'https://user:s3cret@plausible.example.com',
    options: { plausible: { url: 'https://user:s3cret@plausible.example.com' } },
  },
  {
    variable: 'METRICS_REMOTE_WRITE_URL',
    value: 'ftp://user:s3cret@metrics.example.com',
    options: { remoteWrite: { url: 'ftp://user:s3cret@metrics.example.com' } },
  },
  {
    variable: 'METRICS_REMOTE_WRITE_TOKEN',
    value: 's3 cret',
    options: { remoteWrite: { token: 's3 cret' } },
  },
]

describe('secrets in configuration errors', () => {
  for (const { variable, value, options } of SECRETS) {
    it(`hides ${variable} and its option alike, and still names the setting`, () => {
      const fromEnvironment = configErrorMessage(() => readStandaloneConfig({ [variable]: value }))
      const fromOptions = configErrorMessage(() => resolveOptions(options))
      for (const message of [fromEnvironment, fromOptions]) {
        assert.doesNotMatch(message, /s3 ?cret/)
      }
      assert.match(fromEnvironment, new RegExp(variable))
    })
  }

  it('hides the password of a proxy URL', () => {
    const message = configErrorMessage(() =>
      readStandaloneConfig({ HTTPS_PROXY: 'ftp://user:s3cret@proxy.internal:3128' }),
    )
    assert.match(message, /HTTPS_PROXY/)
    assert.doesNotMatch(message, /s3cret/)
  })
})
