import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createTelemetryApp, type TelemetryOptions } from '../../src/mod.ts'
import { resolveOptions } from '../../src/options.ts'

describe('programmatic options', () => {
  it('fills in defaults, with "unknown" for build info not given', () => {
    const resolved = resolveOptions({ version: { package: '1.0.0' } })
    assert.deepEqual(resolved.version, { package: '1.0.0', git: 'unknown', branch: 'unknown' })
    assert.equal(resolved.logLevel, 'info')
    assert.deepEqual(resolved.plausible, { enabled: false })
  })

  it('names each bad option by its path when createTelemetryApp is given bad options', () => {
    const options = {
      trustProxy: ['10.0.0.1', 'proxy.internal'],
      logLevel: 'chatty',
    } as unknown as TelemetryOptions
    assert.throws(() => createTelemetryApp(options), {
      name: 'ConfigError',
      message: [
        'Cannot create the telemetry app: 2 settings are invalid',
        '  - trustProxy.1 must be "false", the number of trusted proxy hops (1-10), or a comma-separated list of proxy IP addresses or CIDR ranges, got "proxy.internal"',
        '  - logLevel must be one of silent, error, warn, info, debug, got "chatty"',
      ].join('\n'),
    })
  })

  it('rejects an unknown option instead of ignoring a typo', () => {
    const options = { logLevle: 'debug' } as unknown as TelemetryOptions
    assert.throws(() => createTelemetryApp(options), /logLevle must be /)
  })

  it('hides the token and the database password in its messages', () => {
    const options = { managementToken: 'short', database: { url: 'http://u:pw@db' } }
    assert.throws(
      () => createTelemetryApp(options),
      (error: Error) =>
        !error.message.includes('short') &&
        !error.message.includes(':pw@') &&
        /database\.url/.test(error.message),
    )
  })
})

describe('the proxy of an app created in code', () => {
  it('is read from the environment as the standalone server reads it, and refused when runtimes would disagree', () => {
    const saved = { HTTP_PROXY: process.env.HTTP_PROXY, http_proxy: process.env.http_proxy }
    process.env.HTTP_PROXY = 'http://user:secret@proxy-a.internal:3128'
    process.env.http_proxy = 'http://user:secret@proxy-b.internal:3128'
    try {
      assert.throws(() => createTelemetryApp({ logLevel: 'silent' }), {
        name: 'ConfigError',
        message:
          'Cannot create the telemetry app: HTTP_PROXY must be the same as http_proxy when both are set (runtimes differ in which one they read), got "http://user:***@proxy-a.internal:3128" and "http://user:***@proxy-b.internal:3128"',
      })
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name]
        else process.env[name] = value
      }
    }
  })
})
