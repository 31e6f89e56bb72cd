import { Miniflare } from 'miniflare'
import { PROJECT_ROOT, runDocumentedScript } from './project.ts'

const WORKER_DIR = `${PROJECT_ROOT}dist/edge`

/** Bundles the edge entry with the documented `npm run build:edge` and serves it from Cloudflare's workerd. */
export async function startWorker(
  bindings: Record<string, string>,
): Promise<{ url: string; stop(): Promise<void> }> {
  runDocumentedScript('build:edge')
  const miniflare = new Miniflare({
    modules: true,
    modulesRoot: WORKER_DIR,
    scriptPath: `${WORKER_DIR}/worker.js`,
    compatibilityDate: '2025-07-18',
    bindings,
    host: '127.0.0.1',
    port: 0,
  })
  const url = await miniflare.ready
  return { url: url.origin, stop: () => miniflare.dispose() }
}
