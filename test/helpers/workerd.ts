import type { Readable } from 'node:stream'
import { Miniflare } from 'miniflare'
import { PROJECT_ROOT, runDocumentedScript } from './project.ts'

const WORKER_DIR = `${PROJECT_ROOT}dist/edge`

/** The edge bundle served from workerd, with everything the worker printed. */
export interface WorkerUnderTest {
  readonly url: string
  /** The worker's console lines that are JSON log entries, in the order it wrote them. */
  readonly logs: readonly Record<string, unknown>[]
  /** Everything else workerd printed (its own warnings and errors). */
  readonly output: () => string
  stop(): Promise<void>
}

/** Bundles the edge entry with the documented `npm run build:edge` and serves it from Cloudflare's workerd. */
export async function startWorker(bindings: Record<string, string>): Promise<WorkerUnderTest> {
  runDocumentedScript('build:edge')
  const logs: Record<string, unknown>[] = []
  let output = ''
  const collect = (stream: Readable) => {
    let pending = ''
    stream.on('data', (chunk: Buffer) => {
      pending += chunk.toString()
      const lines = pending.split('\n')
      pending = lines.pop() ?? ''
      for (const line of lines) {
        if (line.startsWith('{')) logs.push(JSON.parse(line) as Record<string, unknown>)
        else output += `${line}\n`
      }
    })
  }
  const miniflare = new Miniflare({
    modules: true,
    modulesRoot: WORKER_DIR,
    scriptPath: `${WORKER_DIR}/worker.js`,
    compatibilityDate: '2025-07-18',
    bindings,
    host: '127.0.0.1',
    port: 0,
    // Miniflare otherwise fetches `Request.cf` from workers.cloudflare.com (cf.ts, setupCf): `false` takes its
    // built-in placeholder and stays on loopback.
    cf: false,
    handleRuntimeStdio: (stdout, stderr) => {
      collect(stdout)
      collect(stderr)
    },
  })
  const url = await miniflare.ready
  return { url: url.origin, logs, output: () => output, stop: () => miniflare.dispose() }
}
