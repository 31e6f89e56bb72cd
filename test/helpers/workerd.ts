import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { Miniflare } from 'miniflare'
import { documentedCommand, PATH_WITH_LOCAL_BINS, PROJECT_ROOT } from './project.ts'

const WORKER_DIR = `${PROJECT_ROOT}dist/edge`

/** Bundles the edge entry with the documented `npm run build:edge` and serves it from Cloudflare's workerd. */
export async function startWorker(
  bindings: Record<string, string>,
): Promise<{ url: string; stop(): Promise<void> }> {
  const [command = '', ...args] = documentedCommand('package.json', 'build:edge')
  await promisify(execFile)(command, args, {
    cwd: PROJECT_ROOT,
    env: { ...process.env, PATH: PATH_WITH_LOCAL_BINS },
  })
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
