// The module with the relay enabled, served on loopback by the Node adapter, so requests come with a real
// socket address; and a browser-like client for it. And the standalone server on every runtime, relaying.
import assert from 'node:assert/strict'
import { after, before, describe } from 'node:test'
import { nodeServer } from '../../src/adapter/node/server.ts'
import { createTelemetryApp, type TelemetryApp, type TelemetryOptions } from '../../src/mod.ts'
import { samplesOf } from './exposition.ts'
import { type FakePlausible, startFakePlausible } from './fake-plausible/server.ts'
import { freePort } from './free-port.ts'
import { buildServerBundles } from './project.ts'
import { RUNTIMES, type RuntimeTarget } from './runtimes.ts'
import { type ServerProcess, startServer } from './server-process.ts'

export const SITE = 'meshpanel.example.com'
export const BROWSER_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36'

export interface RelayUnderTest {
  readonly url: string
  readonly app: TelemetryApp
  readonly plausible: FakePlausible
  /** Posts an event as plausible-tracker does (text/plain, short keys). */
  send(body: object | string, headers?: Record<string, string>): Promise<Response>
  close(): Promise<void>
}

/** Posts an event to the relay at `baseUrl` as plausible-tracker does (text/plain, a browser's User-Agent). */
export const postEvent = (baseUrl: string, body: object | string, headers: Record<string, string> = {}) =>
  fetch(`${baseUrl}/api/event`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', 'user-agent': BROWSER_UA, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })

/** The relay's count of events by outcome, from the metrics of the server at `baseUrl`. */
export async function relayOutcomes(baseUrl: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${baseUrl}/actuator/prometheus`)).text()
  return Object.fromEntries(
    samplesOf(text, 'meshstack_relay_events_total').map(({ labels, value }) => [labels.outcome, value]),
  )
}

/** The variables a standalone server needs to relay to the Plausible at `plausibleUrl`, on a free loopback port. */
export const relayServerEnv = async (plausibleUrl: string): Promise<Record<string, string>> => ({
  PORT: String(await freePort()),
  HOST: '127.0.0.1',
  PLAUSIBLE_ENABLED: 'true',
  PLAUSIBLE_URL: plausibleUrl,
  PLAUSIBLE_DOMAIN: SITE,
})

/**
 * Starts the standalone server on `runtime` as the README starts it, relaying to `plausibleUrl` for `SITE`, with
 * `env` on top; `servers` collects it for the suite's `after` to stop.
 * @example const server = await startRelayServer(runtime, plausible.url, servers, { PLAUSIBLE_TIMEOUT_MS: '300' })
 */
export async function startRelayServer(
  runtime: RuntimeTarget,
  plausibleUrl: string,
  servers: ServerProcess[],
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  const server = await startServer(runtime.standalone, { ...(await relayServerEnv(plausibleUrl)), ...env })
  servers.push(server)
  return server
}

/** A standalone server started as the README says on `runtime`, relaying to a fake Plausible of its own. */
export interface StandaloneRelay {
  readonly server: ServerProcess
  readonly plausible: FakePlausible
  stop(): Promise<void>
}

/** Starts a fake Plausible and a standalone server relaying to it on `runtime`, with `env` besides. */
export async function startStandaloneRelay(
  runtime: RuntimeTarget,
  env: Record<string, string>,
): Promise<StandaloneRelay> {
  const plausible = await startFakePlausible({ domain: SITE })
  const server = await startServer(runtime.standalone, {
    ...(await relayServerEnv(plausible.url)),
    ...env,
  }).catch(async (error: unknown) => {
    await plausible.stop()
    throw error
  })
  return {
    server,
    plausible,
    async stop() {
      await server.stop()
      await plausible.stop()
    },
  }
}

/**
 * Describes `specs` on every runtime, each against its own standalone relay started with `env` (the server bundles
 * built first, as `npm start` builds them).
 */
export function describeOnEveryRuntime(
  title: string,
  env: Record<string, string>,
  specs: (relay: () => StandaloneRelay) => void,
): void {
  describe(title, () => {
    before(() => buildServerBundles())
    for (const runtime of RUNTIMES) {
      describe(`on ${runtime.name}`, () => {
        let relay: StandaloneRelay | undefined
        before(async () => {
          relay = await startStandaloneRelay(runtime, env)
        })
        after(() => relay?.stop())
        specs(() => relay ?? assert.fail(`no relay on ${runtime.name}`))
      })
    }
  })
}

type PlausibleOptions = Partial<Extract<NonNullable<TelemetryOptions['plausible']>, object>>

export async function startRelay(
  plausible: PlausibleOptions = {},
  options: TelemetryOptions = {},
): Promise<RelayUnderTest> {
  const fake = await startFakePlausible({ domain: SITE })
  const app = createTelemetryApp({
    logLevel: 'silent',
    ...options,
    plausible: { enabled: true, url: fake.url, domain: SITE, retryWindowMs: 10_000, ...plausible },
  })
  app.lifecycle.ready()
  const server = await nodeServer.listen(app.fetch, { port: 0, hostname: '127.0.0.1' })
  const url = `http://127.0.0.1:${server.port}`
  return {
    url,
    app,
    plausible: fake,
    send: (body, headers) => postEvent(url, body, headers),
    async close() {
      await server.close()
      await app.lifecycle.close()
      await fake.stop()
    },
  }
}

/** A page view as plausible-tracker builds it. */
export const pageview = (path = '/dashboard', extra: object = {}) => ({
  n: 'pageview',
  u: `https://${SITE}${path}`,
  d: SITE,
  r: null,
  w: 1280,
  h: 0,
  ...extra,
})
