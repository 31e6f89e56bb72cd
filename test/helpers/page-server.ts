import { readFile } from 'node:fs/promises'
import { Hono } from 'hono'
import { nodeServer } from '../../src/adapter/node/server.ts'
import { createTelemetryApp, type TelemetryOptions } from '../../src/mod.ts'
import { PROJECT_ROOT, runDocumentedScript } from './project.ts'

/** A meshPanel page that loads the tracker, which asks the module whether to send and then tracks page views. */
export const trackerPage = ({ hashMode }: { readonly hashMode: boolean }): string => `<!doctype html>
<html><head><title>meshPanel</title></head>
<body>
<h1>meshPanel</h1>
<script type="module">
  import { loadUsageTracker } from '/assets/tracker.js'
  const tracker = await loadUsageTracker('/api/telemetry/config', { hashMode: ${hashMode} })
  tracker.enableAutoPageviews()
  window.tracker = tracker
  document.body.dataset.tracker = tracker.enabled ? 'enabled' : 'disabled'
</script>
</body></html>`
export const PAGE = trackerPage({ hashMode: false })

/** Plausible's official tracker (@plausible-analytics/tracker), an ES module the page imports as it is. */
export const OFFICIAL_TRACKER = `${PROJECT_ROOT}node_modules/@plausible-analytics/tracker/plausible.js`

/**
 * A page that uses the official tracker, pointed at the relay on its own origin, with hash-based routing: it
 * tracks page views (also on hash changes) and engagement when the page is hidden; `window.track` sends events.
 */
export const officialTrackerPage = (domain: string): string => `<!doctype html>
<html><head><title>meshPanel</title></head>
<body>
<h1>meshPanel</h1>
<script type="module">
  import { init, track } from '/assets/plausible.js'
  // Automated browsers set navigator.webdriver, which the tracker takes for a bot unless the page says otherwise.
  window.__plausible = true
  init({ domain: ${JSON.stringify(domain)}, endpoint: '/api/event', hashBasedRouting: true, captureOnLocalhost: true })
  window.track = track
  document.body.dataset.tracker = 'ready'
</script>
</body></html>`

/** Bundles src/browser with the documented `npm run build:browser`. */
export function buildBrowserBundle(): void {
  runDocumentedScript('build:browser')
}

export async function startPageServer(
  options: TelemetryOptions,
): Promise<{ url: string; close(): Promise<void> }> {
  const bundle = await readFile(`${PROJECT_ROOT}dist/browser/tracker.js`, 'utf8')
  const official = await readFile(OFFICIAL_TRACKER, 'utf8')
  const telemetry = createTelemetryApp({ logLevel: 'silent', ...options })
  telemetry.lifecycle.ready()
  const meshPanel = new Hono()
  meshPanel.route('/', telemetry)
  meshPanel.get('/assets/tracker.js', (c) => c.body(bundle, 200, { 'content-type': 'text/javascript' }))
  meshPanel.get('/assets/plausible.js', (c) => c.body(official, 200, { 'content-type': 'text/javascript' }))
  meshPanel.get('/app/*', (c) => c.html(PAGE))
  meshPanel.get('/hash-app/*', (c) => c.html(trackerPage({ hashMode: true })))
  const domain = options.plausible?.enabled ? options.plausible.domain : undefined
  meshPanel.get('/official/*', (c) => c.html(officialTrackerPage(domain ?? '')))
  const server = await nodeServer.listen(meshPanel.fetch, { port: 0, hostname: '127.0.0.1' })
  return {
    url: `http://127.0.0.1:${server.port}`,
    async close() {
      await server.close()
      await telemetry.lifecycle.close()
    },
  }
}
