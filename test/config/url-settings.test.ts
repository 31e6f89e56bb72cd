// Every URL setting refuses what it cannot read as the user meant it, naming the setting and never printing the
// password; what it accepts, it uses with the password the user wrote. The WHATWG URL parser (every runtime's
// `URL`, which mysql2's ConnectionConfig.parseUrl and undici's ProxyAgent read credentials with) ends the host at
// the first raw `/`, `?`, `#` (or `\` in http URLs), so such a character in a password cuts the URL short.
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { after, before, describe, it } from 'node:test'
import fc from 'fast-check'
import { undiciHttpClients } from '../../src/adapter/node/undici-http-client.ts'
import { ConfigError } from '../../src/config/config-error.ts'
import { DIRECT, type ProxySettings } from '../../src/config/proxy.ts'
import { createTelemetryApp } from '../../src/mod.ts'
import { resolveOptions, type TelemetryOptions } from '../../src/options.ts'
import { createReceiver } from '../../src/push/receiver.ts'
import { readStandaloneConfig } from '../../src/standalone/environment.ts'
import { configErrorMessage } from '../helpers/config-error.ts'
import { basicCredentials, type RecordingServer, startRecordingServer } from '../helpers/recording-server.ts'

// The parser mysql2's pool reads its `uri` with; its declarations leave ConnectionConfig's static methods out.
const { ConnectionConfig } = createRequire(import.meta.url)('mysql2') as {
  readonly ConnectionConfig: { parseUrl(url: string): { readonly password?: string } }
}

/** Each URL setting: its variable, its option (undefined for the proxies, read from the environment only). */
const URL_SETTINGS: readonly {
  readonly variable: string
  readonly env: (url: string) => Record<string, string>
  readonly options?: (url: string) => TelemetryOptions
  readonly scheme: string
}[] = [
  {
    variable: 'DATABASE_URL',
    env: (url) => ({ DATABASE_URL: url }),
    options: (url) => ({ database: { url } }),
    scheme: 'mysql',
  },
  {
    variable: 'PLAUSIBLE_URL',
    env: (url) => ({
      PLAUSIBLE_ENABLED: 'true',
      PLAUSIBLE_URL: url,
      PLAUSIBLE_DOMAIN: 'meshpanel.example.com',
    }),
    options: (url) => ({ plausible: { enabled: true, url, domain: 'meshpanel.example.com' } }),
    scheme: 'https',
  },
  {
    variable: 'METRICS_REMOTE_WRITE_URL',
    env: (url) => ({ METRICS_REMOTE_WRITE_URL: url, METRICS_INSTALLATION_ID: 'acme-prod' }),
    options: (url) => ({ remoteWrite: { url, installationId: 'acme-prod' } }),
    scheme: 'http',
  },
  { variable: 'HTTP_PROXY', env: (url) => ({ HTTP_PROXY: url }), scheme: 'http' },
  { variable: 'HTTPS_PROXY', env: (url) => ({ HTTPS_PROXY: url }), scheme: 'http' },
  { variable: 'ALL_PROXY', env: (url) => ({ ALL_PROXY: url }), scheme: 'http' },
]

const PROXY_VARIABLES = ['HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY'] as const

/** createTelemetryApp reads the proxy variables from the process's environment, as the standalone server does. */
function withProcessEnv<T>(env: Record<string, string>, run: () => T): T {
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]))
  Object.assign(process.env, env)
  try {
    return run()
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  }
}

describe('URL settings whose password holds a character that ends the host', () => {
  it('refuses METRICS_REMOTE_WRITE_URL with a raw # in its password in one line, never printing the password', () => {
    const env = {
      METRICS_REMOTE_WRITE_URL: 'http://user:pa#ss@127.0.0.1:18919/w',
      METRICS_INSTALLATION_ID: 'x',
    }
    assert.equal(
      configErrorMessage(() => readStandaloneConfig(env)),
      'Cannot start: METRICS_REMOTE_WRITE_URL must be an absolute http(s) URL like "https://plausible.example.com" whose user name and password write each #, /, ? and \\ as an escape (%23, %2F, %3F, %5C), got "http://user:***@127.0.0.1:18919/w"',
    )
  })

  for (const { variable, env, options, scheme } of URL_SETTINGS) {
    for (const character of ['#', '/', '?', '\\']) {
      // `\` is an ordinary character in a mysql: URL, which is not one of WHATWG's special schemes.
      if (character === '\\' && scheme === 'mysql') continue
      const password = `pa${character}ss`
      const url = `${scheme}://user:${password}@127.0.0.1:18919/w`
      it(`refuses ${variable} with a raw ${character} in its password, naming it and hiding the password`, () => {
        const message = configErrorMessage(() => readStandaloneConfig(env(url)))
        assert.match(message, new RegExp(`^Cannot start: ${variable} must be `))
        assert.ok(!message.includes(password) && !message.includes('ss@'), message)
        assert.ok(message.endsWith(`got "${scheme}://user:***@127.0.0.1:18919/w"`), message)
      })
      if (options === undefined) {
        it(`refuses ${variable} with a raw ${character} in its password when createTelemetryApp reads it`, () => {
          const message = withProcessEnv(env(url), () => configErrorMessage(() => createTelemetryApp()))
          assert.equal(
            message,
            configErrorMessage(() => readStandaloneConfig(env(url))).replace(
              'start',
              'create the telemetry app',
            ),
          )
        })
        continue
      }
      it(`refuses its option with a raw ${character} in the password, in the words ${variable} gets`, () => {
        const fromOptions = configErrorMessage(() => createTelemetryApp(options(url)))
        const fromEnvironment = configErrorMessage(() => readStandaloneConfig(env(url)))
        const option =
          fromOptions.slice('Cannot create the telemetry app: '.length).split(' must be ')[0] ?? ''
        assert.equal(
          fromOptions.replace(option, variable).replace('create the telemetry app', 'start'),
          fromEnvironment,
        )
      })
    }
  }

  it('refuses control characters, which URL parsers drop without a word, in every URL setting', () => {
    for (const { variable, env, scheme } of URL_SETTINGS) {
      const message = configErrorMessage(() =>
        readStandaloneConfig(env(`${scheme}://user:pa\tss@127.0.0.1:18919/w`)),
      )
      assert.match(
        message,
        new RegExp(`${variable} must be .* without control characters such as tabs or line breaks`),
      )
      assert.ok(!message.includes('pa\tss'), message)
    }
  })
})

describe('the forward proxy URLs, which Deno reads with its own, stricter parser', () => {
  // Deno's fetch reads HTTP_PROXY and HTTPS_PROXY itself (denoland/deno ext/fetch/proxy.rs, Target::parse): as an
  // RFC 3986 URI (`http::Uri`), split at the first `@`, user and password at the first `:`, each percent-decoded;
  // a proxy URL with a user and no password is no proxy at all. undici's ProxyAgent (Node) sends a password only
  // with a user, both through decodeURIComponent; Bun's fetch sends no credentials when one does not decode.
  for (const variable of PROXY_VARIABLES) {
    it(`refuses a stray % in the ${variable} password, which undici throws on and Bun drops`, () => {
      const message = configErrorMessage(() =>
        readStandaloneConfig({ [variable]: 'http://user:100%sure@proxy.internal:3128' }),
      )
      assert.equal(
        message,
        `Cannot start: ${variable} must be an http(s) proxy URL like "http://proxy.internal:3128" whose % signs start escapes such as %40 (write a % of the password as %25), got "http://user:***@proxy.internal:3128"`,
      )
    })
  }

  it('refuses a stray % in HTTPS_PROXY when createTelemetryApp reads it, instead of failing every send', () => {
    const message = withProcessEnv({ HTTPS_PROXY: 'http://user:100%sure@proxy.internal:3128' }, () =>
      configErrorMessage(() => createTelemetryApp()),
    )
    assert.match(
      message,
      /^Cannot create the telemetry app: HTTPS_PROXY must be .* whose % signs start escapes/,
    )
    assert.doesNotMatch(message, /100%sure/)
  })

  it('refuses raw characters in a proxy password that Deno cannot read, naming the escape to write', () => {
    for (const character of [' ', '"', '<', '[', '^', '`', '{', '|', 'ä', '@']) {
      const message = configErrorMessage(() =>
        readStandaloneConfig({ HTTPS_PROXY: `http://user:pa${character}ss@proxy.internal:3128` }),
      )
      assert.equal(
        message,
        `Cannot start: HTTPS_PROXY must be an http(s) proxy URL like "http://proxy.internal:3128" whose user name and password hold letters, digits and -._~!$&'()*+,;=: as they are and every other character as an escape such as %40 for @ (Deno reads no other), got "http://user:***@proxy.internal:3128"`,
        `for ${JSON.stringify(character)}`,
      )
    }
  })

  it('refuses a proxy user without a password, which Deno and Node would each read differently', () => {
    assert.deepEqual(
      configErrorMessage(() => readStandaloneConfig({ HTTP_PROXY: 'http://user@proxy.internal:3128' })),
      'Cannot start: HTTP_PROXY must be an http(s) proxy URL like "http://proxy.internal:3128" with both a user name and a password, or neither (with only one, Node, Deno and Bun each do something else), got "http://user@proxy.internal:3128"',
    )
  })
})

describe('passwords as users write them, raw or percent-encoded (property)', () => {
  let receiver: RecordingServer
  before(async () => {
    receiver = await startRecordingServer()
  })
  after(() => receiver.stop())

  // Printable ASCII, and beyond it any Unicode character, as a password manager may generate or a user type.
  const PASSWORD = fc.string({
    unit: fc.oneof(
      fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
    ),
    minLength: 1,
    maxLength: 16,
  })
  const WRITTEN = fc.constantFrom('raw', 'percent-encoded')
  /** What a URL holding `password` as written carries: the password itself, except that a raw %XX is an escape. */
  const meant = (password: string, written: string): string | undefined =>
    written === 'percent-encoded' ? password : /%[0-9a-f]{2}/i.test(password) ? undefined : password
  const write = (password: string, written: string): string =>
    written === 'percent-encoded' ? encodeURIComponent(password) : password

  /**
   * Accepted, or refused with a ConfigError that shows the URL as `redacted`, its password replaced by `***`; never
   * another error.
   */
  const acceptedOrRefused = (redacted: string, run: () => unknown): boolean => {
    try {
      run()
      return true
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error
      assert.ok(error.message.endsWith(`, got "${redacted}"`), error.message)
      return false
    }
  }
  const withUser = (url: string, password: string): string => url.replace('//', () => `//meshi:${password}@`)
  const hidden = (url: string): string => url.replace(/(\/\/\w+:).*@/, '$1***@')

  it('pushes with the password as basic auth, UTF-8 encoded, or refuses the URL without printing it', async () => {
    await fc.assert(
      fc.asyncProperty(PASSWORD, WRITTEN, async (password, written) => {
        const url = `${withUser(receiver.url, write(password, written))}/api/v1/write`
        const accepted = acceptedOrRefused(hidden(url), () =>
          resolveOptions({ remoteWrite: { url, installationId: 'acme-prod' } }),
        )
        if (!accepted) return
        const http = undiciHttpClients(DIRECT)({ connectTimeoutMs: 2000 })
        try {
          const push = createReceiver({ url, userAgent: 'test', timeoutMs: 2000, http })
          assert.equal((await push.send(new Uint8Array(1))).outcome, 'sent')
        } finally {
          await http.close()
        }
        const expected = meant(password, written)
        if (expected !== undefined)
          assert.equal(basicCredentials(receiver.requests.at(-1)?.authorization), `meshi:${expected}`)
      }),
      { numRuns: 150 },
    )
  })

  it('connects to the database with the password mysql2 reads from the URL, or refuses it without printing it', () => {
    fc.assert(
      fc.property(PASSWORD, WRITTEN, (password, written) => {
        const url = `mysql://meshi:${write(password, written)}@db.internal:3306/meshstack`
        if (!acceptedOrRefused(hidden(url), () => readStandaloneConfig({ DATABASE_URL: url }))) return
        const expected = meant(password, written)
        if (expected !== undefined) assert.equal(ConnectionConfig.parseUrl(url).password, expected)
      }),
      { numRuns: 300 },
    )
  })

  it('refuses any password in PLAUSIBLE_URL, which takes none, without printing it', () => {
    fc.assert(
      fc.property(PASSWORD, WRITTEN, (password, written) => {
        const url = `https://relay:${write(password, written)}@plausible.example.com`
        const env = {
          PLAUSIBLE_ENABLED: 'true',
          PLAUSIBLE_URL: url,
          PLAUSIBLE_DOMAIN: 'meshpanel.example.com',
        }
        assert.equal(
          acceptedOrRefused(hidden(url), () => readStandaloneConfig(env)),
          false,
        )
      }),
      { numRuns: 300 },
    )
  })

  it('sends the proxy the password as Proxy-Authorization, or refuses the proxy URL without printing it', async () => {
    await fc.assert(
      fc.asyncProperty(PASSWORD, WRITTEN, async (password, written) => {
        const url = withUser(receiver.url, write(password, written))
        const accepted = acceptedOrRefused(hidden(url), () => readStandaloneConfig({ HTTP_PROXY: url }))
        if (!accepted) return
        const proxy: ProxySettings = { httpProxy: url, noProxy: [] }
        const http = undiciHttpClients(proxy)({ connectTimeoutMs: 2000 })
        try {
          const answer = await http.send({
            method: 'GET',
            url: 'http://plausible.example.com/api/event',
            headers: {},
            signal: AbortSignal.timeout(2000),
          })
          assert.equal(answer.status, 204)
        } finally {
          await http.close()
        }
        const expected = meant(password, written)
        if (expected !== undefined)
          assert.equal(
            basicCredentials(receiver.requests.at(-1)?.['proxy-authorization']),
            `meshi:${expected}`,
          )
      }),
      { numRuns: 150 },
    )
  })
})
