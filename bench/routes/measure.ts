// The route benchmark's runs: on each runtime and for each route, the module with every feature on against a bare
// Hono app answering the module's own bytes, under the same wrk load, in interleaved rounds.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createChildProcesses } from '../../test/helpers/child-processes.ts'
import { freePort } from '../../test/helpers/free-port.ts'
import { startThrowawayMariaDb } from '../../test/helpers/mariadb.ts'
import { RUNTIMES, type RuntimeTarget } from '../../test/helpers/runtimes.ts'
import { plainCommand } from '../plain-command.ts'
import { SITE } from '../relay/event.ts'
import { waitForHttp } from '../relay/wait-for-http.ts'
import { median } from '../statistics.ts'
import { goodPerSecond, runWrk, WRK_SUMMARY_HOOK, type WrkResult } from '../wrk.ts'
import { type BenchServer, startBenchServer } from './server.ts'

/** `/version`, and `/actuator/health` as its default 1 s cache answers it under load. */
const ROUTES = ['/version', '/actuator/health'] as const

/** What a route's contract needs beyond answering its bytes, which a bare route does not do unless told. */
export interface Contract {
  /**
   * The request headers it reads: the health endpoint negotiates its media type from `Accept`, as Spring Boot's does
   * (src/actuator/media-type.ts). Reading one makes Deno and Bun build the request's headers, which a bare route that
   * reads none never pays for.
   */
  readonly headers: readonly string[]
  /**
   * Whether the process holds a database pool: health's `db` component, a mysql2 pool checked with `SELECT 1`. The
   * module holds it whichever route is under load (every row starts it with `DATABASE_URL`), so every route's
   * reference holds one too: on Deno mysql2 alone is 12 of `/version`'s 70 MiB.
   */
  readonly database: boolean
}

const CONTRACTS: Readonly<Record<(typeof ROUTES)[number], Contract>> = {
  '/version': { headers: [], database: true },
  '/actuator/health': { headers: ['accept'], database: true },
}

export interface RouteSettings {
  readonly rounds: number
  readonly seconds: number
  readonly warmupSeconds: number
  readonly connections: number
}

// Five short rounds rather than three long ones: on two shared cores a median of five holds still better. A second of
// warm-up is some 60,000 requests, far past what the engines take to optimise the route.
export const FULL: RouteSettings = { rounds: 5, seconds: 3, warmupSeconds: 1, connections: 32 }
export const QUICK: RouteSettings = { rounds: 1, seconds: 1, warmupSeconds: 1, connections: 32 }

/** One kind of server's wrk rounds, each in a process of its own, and the median of their peak RSS after the round. */
export interface ServerRuns {
  readonly runs: readonly WrkResult[]
  readonly peakRssKiB: number
}

export interface RouteRuns {
  readonly runtime: RuntimeTarget['name']
  readonly route: (typeof ROUTES)[number]
  /** The documented command that started the module. */
  readonly command: string
  /** The bytes both answered, and their content type. */
  readonly bodyBytes: number
  readonly contentType: string
  readonly module: ServerRuns
  /** The module without its request log (`LOG_LEVEL=warn`): what the one line a request of issue 2 costs. */
  readonly unlogged: ServerRuns
  readonly bare: ServerRuns
  /**
   * The bare app also doing what the route's contract needs (reading its headers, holding its database pool), when it
   * needs anything: what the contract costs.
   */
  readonly reading?: Contract & ServerRuns
}

export interface RoutesResult {
  readonly settings: RouteSettings
  readonly rows: readonly RouteRuns[]
}

/** The reference: a bare Hono app answering fixed bytes (also the cold start's second reference). */
export const BARE_HONO = fileURLToPath(new URL('./bare-hono.mjs', import.meta.url))
const UPSTREAM = fileURLToPath(new URL('../relay/upstream.ts', import.meta.url))
/** The response headers the bare app copies from the module's answer. */
const COPIED_HEADERS = ['content-type', 'cache-control']

const progress = (name: string, kind: string, run: WrkResult): void => {
  console.error(
    `${name.padEnd(34)} ${kind.padEnd(7)} ${goodPerSecond(run).toFixed(0).padStart(6)} req/s  p50 ${(run.p50 / 1000).toFixed(3)} ms  p99 ${(run.p99 / 1000).toFixed(3)} ms  errors ${run.status + run.socket}`,
  )
}

/**
 * Runs the route benchmark: starts a throwaway MariaDB and a fake Plausible upstream, then measures every runtime
 * and route in turn. Node's module runs dist/: build it first.
 * @example const result = await measureRoutes(QUICK)
 */
export async function measureRoutes(
  settings: RouteSettings,
  runtimes: readonly RuntimeTarget[] = RUNTIMES,
): Promise<RoutesResult> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-routes-'))
  const script = join(dir, 'get.lua')
  writeFileSync(script, WRK_SUMMARY_HOOK)
  const processes = createChildProcesses()
  const db = await startThrowawayMariaDb()
  try {
    const upstreamPort = await freePort()
    processes.start([process.execPath, '--import', 'tsx', UPSTREAM, String(upstreamPort)])
    const upstreamUrl = `http://127.0.0.1:${upstreamPort}`
    await waitForHttp(`${upstreamUrl}/count`)
    // Every feature on: the database component and metrics, the relay, the default log level (one line a request).
    const moduleEnv = {
      DATABASE_URL: db.url,
      PLAUSIBLE_ENABLED: 'true',
      PLAUSIBLE_URL: upstreamUrl,
      PLAUSIBLE_DOMAIN: SITE,
    }
    const wrk = (server: BenchServer, route: string, seconds: number) =>
      runWrk(processes, { script, url: `${server.url}${route}`, connections: settings.connections, seconds })

    const rows: RouteRuns[] = []
    for (const runtime of runtimes) {
      for (const route of ROUTES) {
        const name = `${runtime.name} ${route}`
        const log = (who: string) => join(dir, `${runtime.name}-${route.replaceAll('/', '_')}-${who}.log`)
        const contract = CONTRACTS[route]
        const startModule = (kind: 'module' | 'unlogged') =>
          startBenchServer(
            runtime.standalone,
            kind === 'module' ? moduleEnv : { ...moduleEnv, LOG_LEVEL: 'warn' },
            route,
            log(kind),
          )
        // The bytes the bare apps answer are the module's own.
        const first = await startModule('module')
        const answer = await fetch(`${first.url}${route}`).finally(() => first.stop())
        const body = await answer.text()
        if (answer.status !== 200) throw new Error(`${name}: the module answered ${answer.status}: ${body}`)
        const headers = Object.fromEntries(
          COPIED_HEADERS.flatMap((header) => {
            const value = answer.headers.get(header)
            return value === null ? [] : [[header, value]]
          }),
        )
        const startBare = async (kind: 'bare' | 'reading') => {
          const server = await startBenchServer(
            plainCommand(runtime, BARE_HONO),
            {
              ROUTE: route,
              BODY: body,
              HEADERS: JSON.stringify(headers),
              READ_HEADERS: kind === 'reading' ? contract.headers.join(',') : '',
              ...(kind === 'reading' && contract.database && { DATABASE_URL: db.url }),
              DENO_NO_UPDATE_CHECK: '1',
            },
            route,
            log(kind),
          )
          const copy = await (await fetch(`${server.url}${route}`)).text()
          if (copy !== body) {
            await server.stop()
            throw new Error(`${name}: the ${kind} app does not answer the module's bytes`)
          }
          return server
        }
        const needsReading = contract.headers.length > 0 || contract.database
        const kinds = ['module', 'unlogged', 'bare', ...(needsReading ? ['reading' as const] : [])] as const
        type Kind = (typeof kinds)[number]
        const measured = new Map<Kind, { runs: WrkResult[]; peaksKiB: number[] }>(
          kinds.map((kind) => [kind, { runs: [], peaksKiB: [] }]),
        )
        for (let round = 0; round < settings.rounds; round++) {
          // Interleaved, each round in the other order, so drift in the machine's load falls on all of them. Each
          // round starts every server afresh: a process is fast or slow as a whole (one server answered 10 to 20 %
          // under another of the same command in every round it ran), so rounds of one process do not average that.
          for (const kind of round % 2 === 0 ? kinds : [...kinds].reverse()) {
            const server =
              kind === 'module' || kind === 'unlogged' ? await startModule(kind) : await startBare(kind)
            try {
              progress(name, `${kind} warm-up`, await wrk(server, route, settings.warmupSeconds))
              const run = await wrk(server, route, settings.seconds)
              progress(name, kind, run)
              measured.get(kind)?.runs.push(run)
              measured.get(kind)?.peaksKiB.push(server.peakRssKiB())
            } finally {
              await server.stop()
            }
          }
        }
        const of = (kind: Kind): ServerRuns => ({
          runs: measured.get(kind)?.runs ?? [],
          peakRssKiB: median(measured.get(kind)?.peaksKiB ?? []),
        })
        rows.push({
          runtime: runtime.name,
          route,
          command: runtime.standalone.join(' '),
          bodyBytes: Buffer.byteLength(body),
          contentType: headers['content-type'] ?? '',
          module: of('module'),
          unlogged: of('unlogged'),
          bare: of('bare'),
          ...(needsReading && { reading: { ...contract, ...of('reading') } }),
        })
      }
    }
    return { settings, rows }
  } finally {
    await processes.stopAll()
    await db.dispose()
    rmSync(dir, { recursive: true, force: true })
  }
}
