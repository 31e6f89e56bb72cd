import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { nodeReadTextFileSync } from '../../src/adapter/node/files.ts'
import { ConfigError } from '../../src/config/config-error.ts'
import { createTelemetryApp, optionsFromEnvironment } from '../../src/mod.ts'
import { readStandaloneConfig } from '../../src/standalone/environment.ts'
import { readStandaloneFiles } from '../../src/standalone/files.ts'

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    readStandaloneConfig(env)
  } catch (error) {
    if (error instanceof ConfigError)
      return error.problems.map((p) => `${p.name} must be ${p.expected}, got ${p.received}`)
    throw error
  }
  assert.fail('expected a ConfigError')
}

describe('configuration from environment variables', () => {
  it('starts on documented defaults when nothing is set', () => {
    const config = readStandaloneConfig({})
    assert.deepEqual(config.server, {
      port: 8080,
      host: '0.0.0.0',
      shutdownTimeoutMs: 10_000,
      shutdownDelayMs: 0,
      denoConnectionTimeouts: false,
    })
    assert.equal(config.telemetry.logLevel, 'info')
    assert.deepEqual(config.telemetry.plausible, { enabled: false })
    assert.equal(config.telemetry.trustProxy, false)
    assert.equal(config.telemetry.database, undefined)
    assert.equal(config.telemetry.managementToken, undefined)
    assert.deepEqual(config.versionOverrides, {})
  })

  it('reports DATABASE_* settings without DATABASE_URL instead of ignoring them', () => {
    assert.deepEqual(problemsOf({ DATABASE_VALIDATION_QUERY: 'SELECT 1' }), [
      'DATABASE_URL must be set, got nothing',
    ])
  })

  it('needs MANAGEMENT_TOKEN for HEALTH_SHOW_DETAILS=when-authorized', () => {
    assert.deepEqual(problemsOf({ HEALTH_SHOW_DETAILS: 'when-authorized' }), [
      'HEALTH_SHOW_DETAILS must be always or never unless a management token is set (when-authorized compares callers against it), got "when-authorized"',
    ])
  })

  it('hides health details from callers without MANAGEMENT_TOKEN once it is set and HEALTH_SHOW_DETAILS is not', () => {
    const token = 'a-long-enough-token'
    assert.equal(readStandaloneConfig({}).telemetry.health.showDetails, 'always')
    assert.equal(
      readStandaloneConfig({ MANAGEMENT_TOKEN: token }).telemetry.health.showDetails,
      'when-authorized',
    )
    assert.equal(
      readStandaloneConfig({ MANAGEMENT_TOKEN: token, HEALTH_SHOW_DETAILS: 'always' }).telemetry.health
        .showDetails,
      'always',
    )
  })

  it('treats empty variables as unset', () => {
    assert.equal(readStandaloneConfig({ PORT: '', DATABASE_URL: ' ' }).server.port, 8080)
  })

  it('reads every documented variable', () => {
    const config = readStandaloneConfig({
      PORT: '9090',
      HOST: '127.0.0.1',
      SHUTDOWN_TIMEOUT_MS: '2500',
      SHUTDOWN_DELAY_MS: '5000',
      DENO_CONNECTION_TIMEOUTS: 'true',
      DATABASE_URL: 'mysql://meshi:secret@db:3306/meshstack',
      DATABASE_VALIDATION_QUERY: '/* ping */ SELECT 1',
      DATABASE_SHOW_HOST: 'true',
      DATABASE_CONNECTION_LIMIT: '2',
      HEALTH_SHOW_DETAILS: 'when-authorized',
      HEALTH_TIMEOUT_MS: '500',
      HEALTH_CACHE_TTL_MS: '0',
      HEALTH_SLOW_THRESHOLD_MS: '100',
      HEALTH_DISK_PATH: '/var/lib/meshstack',
      HEALTH_DISK_THRESHOLD_BYTES: '1048576',
      HEALTH_READINESS_INCLUDE: 'db, diskSpace',
      MANAGEMENT_TOKEN: 'a-long-enough-token',
      PLAUSIBLE_ENABLED: 'TRUE',
      PLAUSIBLE_URL: 'https://plausible.example.com',
      PLAUSIBLE_DOMAIN: 'meshpanel.example.com',
      PLAUSIBLE_EVENTS: 'Signup:plan, Feedback:rating|topic',
      PLAUSIBLE_ALLOWED_ORIGINS: 'https://meshpanel.example.com, https://panel.internal:8443',
      PLAUSIBLE_ROUTES: '/workspaces/:workspace,/workspaces/:workspace/projects/:project',
      PLAUSIBLE_QUERY_ALLOWLIST: 'utm_*,ref',
      PLAUSIBLE_QUEUE_SIZE: '50',
      PLAUSIBLE_CONCURRENCY: '2',
      PLAUSIBLE_TIMEOUT_MS: '1500',
      PLAUSIBLE_RETRY_WINDOW_MS: '30000',
      PLAUSIBLE_DRAIN_TIMEOUT_MS: '2000',
      PLAUSIBLE_RATE_LIMIT_PER_MINUTE: '60',
      PLAUSIBLE_RATE_LIMIT_BURST: '10',
      PLAUSIBLE_BODY_TIMEOUT_MS: '2000',
      PLAUSIBLE_AUDIT_EVENTS: '5',
      TRUST_PROXY: '2',
      APP_VERSION: '7.7.7',
      GIT_COMMIT: '123456789ABCDEF',
      GIT_BRANCH: 'HEAD',
      LOG_LEVEL: 'silent',
    })
    assert.deepEqual(config.server, {
      port: 9090,
      host: '127.0.0.1',
      shutdownTimeoutMs: 2500,
      shutdownDelayMs: 5000,
      denoConnectionTimeouts: true,
    })
    assert.deepEqual(config.telemetry.database, {
      url: 'mysql://meshi:secret@db:3306/meshstack',
      validationQuery: '/* ping */ SELECT 1',
      showHost: true,
      connectionLimit: 2,
    })
    assert.deepEqual(config.telemetry.health, {
      showDetails: 'when-authorized',
      timeoutMs: 500,
      cacheTtlMs: 0,
      slowThresholdMs: 100,
      diskSpace: { path: '/var/lib/meshstack', thresholdBytes: 1048576 },
      readinessIncludes: ['db', 'diskSpace'],
      indicators: {},
    })
    assert.equal(config.telemetry.managementToken, 'a-long-enough-token')
    assert.deepEqual(config.telemetry.plausible, {
      enabled: true,
      url: 'https://plausible.example.com',
      domain: 'meshpanel.example.com',
      events: { pageview: [], engagement: [], Signup: ['plan'], Feedback: ['rating', 'topic'] },
      allowedOrigins: ['https://meshpanel.example.com', 'https://panel.internal:8443'],
      routes: ['/workspaces/:workspace', '/workspaces/:workspace/projects/:project'],
      queryAllowlist: ['utm_*', 'ref'],
      queueSize: 50,
      concurrency: 2,
      timeoutMs: 1500,
      retryWindowMs: 30000,
      drainTimeoutMs: 2000,
      rateLimitPerMinute: 60,
      rateLimitBurst: 10,
      maxBodyBytes: 8192,
      bodyTimeoutMs: 2000,
      auditEvents: 5,
    })
    assert.equal(config.telemetry.trustProxy, 2)
    assert.deepEqual(config.versionOverrides, { package: '7.7.7', git: '123456789a', branch: 'HEAD' })
    assert.equal(config.telemetry.logLevel, 'silent')
  })

  it('reads TRUST_PROXY as false, a hop count or a list of addresses and ranges', () => {
    assert.equal(readStandaloneConfig({ TRUST_PROXY: 'false' }).telemetry.trustProxy, false)
    assert.deepEqual(
      readStandaloneConfig({ TRUST_PROXY: '10.0.0.1, 10.1.0.0/16,::1' }).telemetry.trustProxy,
      ['10.0.0.1', '10.1.0.0/16', '::1'],
    )
    assert.deepEqual(problemsOf({ TRUST_PROXY: 'true' }), [
      'TRUST_PROXY must be "false", the number of trusted proxy hops (1-10), or a comma-separated list of proxy IP addresses or CIDR ranges, got "true"',
    ])
    assert.equal(problemsOf({ TRUST_PROXY: '10.0.0.1,10.0.0.0/33' }).length, 1)
    assert.deepEqual(readStandaloneConfig({ TRUST_PROXY: 'fd00::/8, ::1/128' }).telemetry.trustProxy, [
      'fd00::/8',
      '::1/128',
    ])
    assert.equal(problemsOf({ TRUST_PROXY: 'fd00::/129' }).length, 1)
    assert.equal(problemsOf({ TRUST_PROXY: '0' }).length, 1)
  })

  it('says exactly what is wrong with PORT', () => {
    assert.throws(() => readStandaloneConfig({ PORT: 'abc' }), {
      name: 'ConfigError',
      message: 'Cannot start: PORT must be an integer between 1 and 65535, got "abc"',
    })
    assert.deepEqual(problemsOf({ PORT: '70000' }), [
      'PORT must be an integer between 1 and 65535, got "70000"',
    ])
    assert.deepEqual(problemsOf({ PORT: '80.5' }), [
      'PORT must be an integer between 1 and 65535, got "80.5"',
    ])
  })

  it('lists every bad variable at once, in one message', () => {
    assert.throws(() => readStandaloneConfig({ PORT: '0', LOG_LEVEL: 'loud', PLAUSIBLE_ENABLED: 'yes' }), {
      message: [
        'Cannot start: 3 settings are invalid',
        '  - PORT must be an integer between 1 and 65535, got "0"',
        '  - PLAUSIBLE_ENABLED must be true or false, got "yes"',
        '  - LOG_LEVEL must be one of silent, error, warn, info, debug, got "loud"',
      ].join('\n'),
    })
  })

  it('requires the Plausible server and site domain once the relay is enabled', () => {
    assert.deepEqual(problemsOf({ PLAUSIBLE_ENABLED: 'true' }), [
      'PLAUSIBLE_URL must be set when the relay is enabled (the central Plausible server), got nothing',
      'PLAUSIBLE_DOMAIN must be set when the relay is enabled (the site domain registered there), got nothing',
    ])
    assert.deepEqual(
      problemsOf({ PLAUSIBLE_ENABLED: 'true', PLAUSIBLE_URL: 'ftp://x', PLAUSIBLE_DOMAIN: 'a b' }),
      [
        'PLAUSIBLE_URL must be an absolute http(s) URL like "https://plausible.example.com", got "ftp://x"',
        'PLAUSIBLE_DOMAIN must be a site domain as registered in Plausible, like "meshpanel.example.com", got "a b"',
      ],
    )
  })

  it('requires an installation id once metrics are pushed, and one way to authenticate', () => {
    assert.deepEqual(problemsOf({ METRICS_REMOTE_WRITE_URL: 'https://metrics.example.com/api/v1/write' }), [
      'METRICS_INSTALLATION_ID must be set when metrics are pushed (remoteWrite.url): it names the installation the series come from, got nothing',
    ])
    const both = problemsOf({
      METRICS_REMOTE_WRITE_URL: 'https://push:s3cret@metrics.example.com/api/v1/write',
      METRICS_REMOTE_WRITE_TOKEN: 'tok3n-value',
      METRICS_INSTALLATION_ID: 'acme prod',
    })
    assert.equal(both.length, 2)
    assert.match(both.join('\n'), /METRICS_INSTALLATION_ID must be an identifier of 1-63 letters/)
    assert.match(
      both.join('\n'),
      /METRICS_REMOTE_WRITE_TOKEN must be unset when the URL carries a user and password/,
    )
    assert.ok(!both.join('\n').includes('s3cret') && !both.join('\n').includes('tok3n'), both.join('\n'))
    const on = readStandaloneConfig({
      METRICS_REMOTE_WRITE_URL: 'https://metrics.example.com/api/v1/write',
      METRICS_INSTALLATION_ID: 'acme-prod',
    }).telemetry.remoteWrite
    assert.deepEqual(on, {
      url: 'https://metrics.example.com/api/v1/write',
      installationId: 'acme-prod',
      intervalSeconds: 30,
      timeoutMs: 10_000,
      bufferBatches: 20,
      maxSamplesPerRequest: 2000,
      // Without METRICS_REMOTE_WRITE_SPOOL_DIR the bounds are unused: the buffer is in memory.
      spoolMaxBytes: 64 * 1024 * 1024,
      spoolMaxAgeSeconds: 7200,
    })
    assert.equal(readStandaloneConfig({}).telemetry.remoteWrite, undefined, 'off without a URL')
  })

  it('never prints a password or token, even when rejecting it', () => {
    const problems = problemsOf({
      DATABASE_URL: 'postgres://meshi:hunter2@db/meshstack',
      MANAGEMENT_TOKEN: 'hunter2 hunter2 hunter2',
    })
    assert.deepEqual(problems, [
      'DATABASE_URL must be a URL like "mysql://user:password@host:3306/database", got "postgres://meshi:***@db/meshstack"',
      'MANAGEMENT_TOKEN must be at least 16 characters without spaces, got a value of 23 characters (not shown)',
    ])
    const unparsable = problemsOf({ DATABASE_URL: 'meshi:hunter2@db' })
    assert.ok(!unparsable.join().includes('hunter2'), unparsable.join())
  })

  it('accepts a short or full commit hash and keeps the 10 characters /version shows', () => {
    assert.equal(readStandaloneConfig({ GIT_COMMIT: 'abcdef1' }).versionOverrides.git, 'abcdef1')
    assert.deepEqual(problemsOf({ GIT_COMMIT: 'not-a-hash' }), [
      'GIT_COMMIT must be a git commit hash of 7 to 40 hexadecimal characters, got "not-a-hash"',
    ])
    assert.deepEqual(problemsOf({ APP_VERSION: '7 7' }), [
      'APP_VERSION must be a version without spaces, like "7.7.7", got "7 7"',
    ])
  })
})

describe('configuration errors that never leak or crash', () => {
  it('hides the whole password of a rejected DATABASE_URL, even one holding @', () => {
    assert.deepEqual(problemsOf({ DATABASE_URL: 'postgres://root:p@ssw0rd@db/x' }), [
      'DATABASE_URL must be a URL like "mysql://user:password@host:3306/database", got "postgres://root:***@db/x"',
    ])
  })

  it('refuses a DATABASE_URL whose % starts no escape, as the driver would throw on it', () => {
    assert.deepEqual(problemsOf({ DATABASE_URL: 'mysql://meshi:100%sure@db:3306/meshstack' }), [
      'DATABASE_URL must be a URL like "mysql://user:password@host:3306/database" whose % signs start escapes such as %40 (write a % of the password as %25), got "mysql://meshi:***@db:3306/meshstack"',
    ])
  })

  it('keeps the body timeout between 100 ms and a minute', () => {
    assert.deepEqual(problemsOf({ PLAUSIBLE_BODY_TIMEOUT_MS: '50' }), [
      'PLAUSIBLE_BODY_TIMEOUT_MS must be an integer between 100 and 60000 (milliseconds), got "50"',
    ])
    assert.equal(problemsOf({ PLAUSIBLE_BODY_TIMEOUT_MS: '60001' }).length, 1)
    assert.deepEqual(problemsOf({ PLAUSIBLE_AUDIT_EVENTS: '1001' }), [
      'PLAUSIBLE_AUDIT_EVENTS must be an integer between 0 and 1000 (events), got "1001"',
    ])
  })

  it('says what TRUST_PROXY takes, in its own words, for a hop count out of range', () => {
    assert.deepEqual(problemsOf({ TRUST_PROXY: '0' }), [
      'TRUST_PROXY must be "false", the number of trusted proxy hops (1-10), or a comma-separated list of proxy IP addresses or CIDR ranges, got "0"',
    ])
  })

  it('refuses credentials in PLAUSIBLE_URL without printing them', () => {
    const problems = problemsOf({
      PLAUSIBLE_ENABLED: 'true',
      PLAUSIBLE_URL: 'https://relay:s3cret@plausible.example.com',
      PLAUSIBLE_DOMAIN: 'meshpanel.example.com',
    })
    assert.deepEqual(problems, [
      'PLAUSIBLE_URL must be an absolute http(s) URL like "https://plausible.example.com" without a user name or password, got "https://relay:***@plausible.example.com"',
    ])
  })

  it('reports a METRICS_SQL_FILE that is not JSON without quoting it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'metrics-sql-'))
    const file = join(dir, 'metrics.json')
    await writeFile(file, 'password=hunter2\n')
    try {
      assert.throws(
        () => readStandaloneFiles({ METRICS_SQL_FILE: file }, nodeReadTextFileSync),
        (error: Error) => {
          assert.equal(
            error.message,
            `Cannot start: METRICS_SQL_FILE must be a readable JSON file like examples/mesh-objects.json, got ${JSON.stringify(file)} (not valid JSON)`,
          )
          return true
        },
      )
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('the forward proxy for outbound requests', () => {
  it('reads one proxy per scheme, in either spelling, and the hosts to reach directly', () => {
    const { proxy } = readStandaloneConfig({
      http_proxy: 'http://proxy.internal:3128',
      HTTPS_PROXY: 'http://proxy.internal:3129',
      no_proxy: 'localhost, .internal,10.0.0.7',
    })
    assert.deepEqual(proxy, {
      httpProxy: 'http://proxy.internal:3128',
      httpsProxy: 'http://proxy.internal:3129',
      noProxy: ['localhost', '.internal', '10.0.0.7'],
    })
    assert.deepEqual(readStandaloneConfig({}).proxy, { noProxy: [] })
  })

  it('lets ALL_PROXY stand for both, as Deno and Bun read it', () => {
    assert.deepEqual(readStandaloneConfig({ ALL_PROXY: 'http://proxy.internal:3128' }).proxy, {
      httpProxy: 'http://proxy.internal:3128',
      httpsProxy: 'http://proxy.internal:3128',
      noProxy: [],
    })
  })

  it('refuses what Node, Deno and Bun would read differently, never printing a proxy password', () => {
    assert.deepEqual(
      problemsOf({
        HTTPS_PROXY: 'http://user:pw1@proxy-a:3128',
        https_proxy: 'http://user:pw2@proxy-b:3128',
      }),
      [
        'HTTPS_PROXY must be the same as https_proxy when both are set (runtimes differ in which one they read), got "http://user:***@proxy-a:3128" and "http://user:***@proxy-b:3128"',
      ],
    )
    assert.deepEqual(problemsOf({ ALL_PROXY: 'http://a:3128', HTTP_PROXY: 'http://b:3128' }), [
      'ALL_PROXY must be unset when HTTP_PROXY or HTTPS_PROXY is set (Deno lets ALL_PROXY win, Node and Bun the other one), got "http://a:3128"',
    ])
    const noProxy =
      'NO_PROXY must be a comma-separated list of host names, .domain suffixes and IP addresses (no ports, ranges or "*": Node, Deno and Bun do not all understand them)'
    assert.deepEqual(problemsOf({ NO_PROXY: 'db.internal:3306' }), [`${noProxy}, got "db.internal:3306"`])
    assert.deepEqual(problemsOf({ no_proxy: '*' }), [`${noProxy}, got "*"`])
    assert.deepEqual(problemsOf({ NO_PROXY: '10.0.0.0/8' }), [`${noProxy}, got "10.0.0.0/8"`])
  })

  it('takes only an http(s) proxy URL', () => {
    assert.deepEqual(problemsOf({ HTTPS_PROXY: 'socks5://user:secret@proxy:1080' }), [
      'HTTPS_PROXY must be an http(s) proxy URL like "http://proxy.internal:3128", got "socks5://user:***@proxy:1080"',
    ])
  })
})

describe('a host configured from the same variables', () => {
  it('creates the app from optionsFromEnvironment, as the standalone server would be configured', async () => {
    const options = optionsFromEnvironment({
      GIT_COMMIT: '123456789abcdef',
      LOG_LEVEL: 'silent',
      PLAUSIBLE_ENABLED: 'true',
      PLAUSIBLE_URL: 'https://plausible.example.com',
      PLAUSIBLE_DOMAIN: 'meshpanel.example.com',
      PLAUSIBLE_EVENTS: 'Signup:plan',
      TRUST_PROXY: '10.0.0.0/8',
      METRICS_CUSTOMER_LABELS: 'drop',
    })
    const app = createTelemetryApp({ ...options, version: { ...options.version, package: '7.7.7' } })
    try {
      assert.deepEqual(await (await app.request('/version')).json(), {
        package: '7.7.7',
        git: '123456789a',
        branch: 'unknown',
      })
      assert.deepEqual(await (await app.request('/api/telemetry/config')).json(), {
        enabled: true,
        domain: 'meshpanel.example.com',
        apiHost: '',
      })
    } finally {
      await app.lifecycle.close()
    }
  })
})
