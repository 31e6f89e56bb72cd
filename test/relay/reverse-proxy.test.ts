// meshPanel behind nginx, as the README sets it up: nginx serves the site and passes the telemetry routes on with
// deploy/nginx/meshstack-telemetry.conf (Host rewritten to the upstream, as in Plausible's proxy guide), and the
// module, started as the README says with TRUST_PROXY=1, relays what Plausible's official tracker sends.
import assert from 'node:assert/strict'
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { Browser } from 'playwright-core'
import { type ChildProcesses, createChildProcesses } from '../helpers/child-processes.ts'
import { chromiumUnavailable, launchChromium } from '../helpers/chromium.ts'
import { type FakePlausible, startFakePlausible } from '../helpers/fake-plausible/server.ts'
import { freePort } from '../helpers/free-port.ts'
import { nginxUnavailable, startNginx } from '../helpers/nginx.ts'
import { OFFICIAL_TRACKER, officialTrackerPage } from '../helpers/page-server.ts'
import { buildServerBundles, PROJECT_ROOT } from '../helpers/project.ts'
import { RUNTIMES } from '../helpers/runtimes.ts'
import { startServer } from '../helpers/server-process.ts'

const SITE = 'meshpanel.example.com'
const LOCATIONS = `${PROJECT_ROOT}deploy/nginx/meshstack-telemetry.conf`
// nginx reaches the module from this address, so the module's peer is not the browser's address.
const NGINX_SOURCE = '127.0.0.3'

describe('the relay behind nginx with the shipped configuration', {
  skip: chromiumUnavailable() ?? nginxUnavailable(),
}, () => {
  let browser: Browser
  let plausible: FakePlausible
  let processes: ChildProcesses
  let dir: string
  let site: string
  before(async () => {
    buildServerBundles()
    browser = await launchChromium()
    plausible = await startFakePlausible({ domain: SITE })
    processes = createChildProcesses()
    // nginx's worker runs as another user when the tests run as root: it must be able to read the site.
    dir = mkdtempSync(join(tmpdir(), 'reverse-proxy-'))
    site = join(dir, 'site')
    mkdirSync(join(site, 'assets'), { recursive: true })
    writeFileSync(join(site, 'index.html'), officialTrackerPage(SITE))
    copyFileSync(OFFICIAL_TRACKER, join(site, 'assets', 'plausible.js'))
    for (const path of [dir, site, join(site, 'assets')]) chmodSync(path, 0o755)
  })
  after(async () => {
    await browser?.close()
    await processes?.stopAll()
    await plausible?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  for (const runtime of RUNTIMES) {
    it(`records page views, a hash route and engagement from Chromium on ${runtime.name}, with the browser's address`, async () => {
      const module = await startServer(runtime.standalone, {
        PORT: String(await freePort()),
        HOST: '127.0.0.1',
        PLAUSIBLE_ENABLED: 'true',
        PLAUSIBLE_URL: plausible.url,
        PLAUSIBLE_DOMAIN: SITE,
        PLAUSIBLE_ROUTES: '/workspaces/:workspace',
        TRUST_PROXY: '1',
      })
      const port = await freePort()
      await startNginx(processes, {
        prefix: join(dir, `nginx-${runtime.name}`),
        port,
        http: `
  include /etc/nginx/mime.types;
  upstream meshstack_telemetry { server ${new URL(module.url).host}; keepalive 16; }
  server {
    listen 127.0.0.1:${port};
    root ${site};
    proxy_bind ${NGINX_SOURCE};
    include ${LOCATIONS};
  }`,
      })
      const page = await browser.newPage()
      const before = plausible.events.length
      const arrived = async (count: number) => (await plausible.waitForEvents(before + count)).slice(before)
      try {
        await page.goto(`http://127.0.0.1:${port}/#/workspaces/acme-retail`)
        await page.waitForSelector('body[data-tracker="ready"]', { timeout: 5000 })
        await arrived(1)
        await page.evaluate(() => {
          window.location.hash = '#/projects/4711'
        })
        await arrived(3)
        await page.goto('about:blank')
        const events = await arrived(4)

        const names = events.map(({ body }) => `${body.name} ${body.url}`).sort()
        assert.deepEqual(names, [
          `engagement http://${SITE}/#/projects/:id`,
          `engagement http://${SITE}/#/workspaces/:workspace`,
          `pageview http://${SITE}/#/projects/:id`,
          `pageview http://${SITE}/#/workspaces/:workspace`,
        ])
        for (const event of events) {
          assert.equal(event.effectiveIp, '127.0.0.1', `the browser's address, not nginx's ${NGINX_SOURCE}`)
          assert.deepEqual(event.violations, [])
        }

        const foreign = await fetch(`http://127.0.0.1:${port}/api/event`, {
          method: 'POST',
          headers: {
            origin: 'https://evil.example.com',
            'user-agent': 'Mozilla/5.0',
            'content-type': 'text/plain',
          },
          body: JSON.stringify({ n: 'pageview', u: `https://${SITE}/`, d: SITE }),
        })
        assert.equal(foreign.status, 403)
      } finally {
        await page.close()
        await module.stop()
      }
    })
  }
})
