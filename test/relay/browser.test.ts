// End to end in a real browser: meshPanel's page uses the browser tracker (plausible-tracker inside), the
// module relays, and the strict fake Plausible receives what would leave the installation.
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { after, before, describe, it } from 'node:test'
import type { Browser } from 'playwright-core'
import {
  makeTestCertificates,
  opensslUnavailable,
  type TestCertificates,
  TRUST_VARIABLE,
} from '../helpers/certificates.ts'
import { chromiumUnavailable, launchChromium } from '../helpers/chromium.ts'
import { type FakePlausible, startFakePlausible } from '../helpers/fake-plausible/server.ts'
import { type ForwardProxy, forwardProxyUnavailable, startForwardProxy } from '../helpers/forward-proxy.ts'
import { freePort } from '../helpers/free-port.ts'
import { buildBrowserBundle, PAGE, startPageServer } from '../helpers/page-server.ts'
import { buildServerBundles, PROJECT_ROOT } from '../helpers/project.ts'
import { RUNTIMES } from '../helpers/runtimes.ts'
import { startServer } from '../helpers/server-process.ts'

const SITE = 'meshpanel.example.com'
const skip = chromiumUnavailable()

describe('usage events from a real browser (headless Chromium)', { skip }, () => {
  let browser: Browser
  let plausible: FakePlausible
  before(async () => {
    buildBrowserBundle()
    browser = await launchChromium()
    plausible = await startFakePlausible({ domain: SITE })
  })
  after(async () => {
    await browser?.close()
    await plausible?.stop()
  })

  it('sends page views, navigation, a custom event and feedback through the relay, sanitised, with the browser UA', async () => {
    const server = await startPageServer({
      plausible: {
        enabled: true,
        url: plausible.url,
        domain: SITE,
        events: { pageview: [], Signup: ['plan'], Feedback: ['rating', 'topic', 'message'] },
        routes: ['/app/workspaces/:workspace'],
      },
    })
    const page = await browser.newPage()
    try {
      await page.goto(`${server.url}/app/workspaces/acme-retail?token=secret&utm_source=newsletter#settings`)
      await page.waitForSelector('body[data-tracker="enabled"]')
      await page.evaluate(() => history.pushState({}, '', '/app/projects/4711?tab=members'))
      await page.evaluate(() => {
        const { tracker } = window as unknown as {
          tracker: { trackEvent(n: string, p: object): void; sendFeedback(f: object): void }
        }
        tracker.trackEvent('Signup', { plan: 'pro', email: 'jane@example.com' })
        tracker.sendFeedback({ rating: 4, topic: 'workspaces', message: 'Creating a workspace was easy' })
      })
      const userAgent = await page.evaluate(() => navigator.userAgent)
      const events = await plausible.waitForEvents(4)
      // The page's requests run side by side (the custom event and the feedback leave together), so they may reach
      // the relay, and Plausible, in either order.
      const inAnyOrder = (bodies: readonly Readonly<Record<string, unknown>>[]) =>
        [...bodies].sort((a, b) => `${a.name} ${a.url}`.localeCompare(`${b.name} ${b.url}`))
      assert.deepEqual(
        inAnyOrder(events.map((event) => event.body)),
        inAnyOrder([
          {
            name: 'pageview',
            url: `http://${SITE}/app/workspaces/:workspace?utm_source=newsletter`,
            domain: SITE,
            referrer: null,
          },
          { name: 'pageview', url: `http://${SITE}/app/projects/:id`, domain: SITE, referrer: null },
          {
            name: 'Signup',
            url: `http://${SITE}/app/projects/:id`,
            domain: SITE,
            referrer: null,
            props: { plan: 'pro' },
          },
          {
            name: 'Feedback',
            url: `http://${SITE}/app/projects/:id`,
            domain: SITE,
            referrer: null,
            props: { rating: 4, topic: 'workspaces', message: 'Creating a workspace was easy' },
            interactive: false,
          },
        ]),
      )
      for (const event of events) {
        assert.equal(
          event.userAgent,
          userAgent,
          'the browser User-Agent, verbatim (Plausible drops HeadlessChrome; we do not rewrite it)',
        )
        assert.equal(event.effectiveIp, '127.0.0.1')
        assert.deepEqual(event.violations, [])
      }
    } finally {
      await page.close()
      await server.close()
    }
  })

  it('sends hash-routed page views and non-interactive feedback through our browser entry with hashMode', async () => {
    const server = await startPageServer({
      plausible: { enabled: true, url: plausible.url, domain: SITE, routes: ['/workspaces/:workspace'] },
    })
    const page = await browser.newPage()
    const before = plausible.events.length
    try {
      await page.goto(`${server.url}/hash-app/#/workspaces/acme-retail`)
      await page.waitForSelector('body[data-tracker="enabled"]')
      await plausible.waitForEvents(before + 1)
      await page.evaluate(() => {
        window.location.hash = '#/settings'
      })
      await plausible.waitForEvents(before + 2)
      await page.evaluate(() => {
        const { tracker } = window as unknown as { tracker: { sendFeedback(f: object): void } }
        tracker.sendFeedback({ rating: 5, topic: 'settings' })
      })
      const events = (await plausible.waitForEvents(before + 3)).slice(before)

      assert.deepEqual(
        events.map((event) => event.body),
        [
          {
            name: 'pageview',
            url: `http://${SITE}/hash-app/#/workspaces/:workspace`,
            domain: SITE,
            referrer: null,
            hashMode: 1,
          },
          {
            name: 'pageview',
            url: `http://${SITE}/hash-app/#/settings`,
            domain: SITE,
            referrer: null,
            hashMode: 1,
          },
          {
            name: 'Feedback',
            url: `http://${SITE}/hash-app/#/settings`,
            domain: SITE,
            referrer: null,
            props: { rating: 5, topic: 'settings' },
            hashMode: 1,
            interactive: false,
          },
        ],
      )
      for (const event of events) assert.deepEqual(event.violations, [])
    } finally {
      await page.close()
      await server.close()
    }
  })

  it("relays what Plausible's official tracker sends: page views, hash routes, a custom event and engagement", async () => {
    const server = await startPageServer({
      plausible: {
        enabled: true,
        url: plausible.url,
        domain: SITE,
        events: { pageview: [], engagement: [], Signup: ['plan'] },
        routes: ['/workspaces/:workspace'],
      },
    })
    const page = await browser.newPage()
    const before = plausible.events.length
    const arrived = async (count: number) => (await plausible.waitForEvents(before + count)).slice(before)
    try {
      await page.goto(`${server.url}/official/#/workspaces/acme-retail?token=secret`)
      await page.waitForSelector('body[data-tracker="ready"]')
      await arrived(1)
      // A new page view first reports the engagement with the page before it.
      await page.evaluate(() => {
        window.location.hash = '#/projects/4711'
      })
      await arrived(3)
      await page.evaluate(() => {
        const { track } = window as unknown as { track(name: string, options: object): void }
        track('Signup', { props: { plan: 'pro', email: 'jane@example.com' } })
      })
      await arrived(4)
      const userAgent = await page.evaluate(() => navigator.userAgent)
      // Leaving hides the page: the tracker reports the engagement with it, in a keepalive request.
      await page.goto('about:blank')
      const events = await arrived(5)

      const workspace = `http://${SITE}/official/#/workspaces/:workspace`
      const project = `http://${SITE}/official/#/projects/:id`
      const seen = events.map(({ body: { name, url, hashMode, props } }) => ({ name, url, hashMode, props }))
      const expected = [
        { name: 'pageview', url: workspace, hashMode: 1, props: undefined },
        { name: 'engagement', url: workspace, hashMode: 1, props: undefined },
        { name: 'pageview', url: project, hashMode: 1, props: undefined },
        { name: 'Signup', url: project, hashMode: 1, props: { plan: 'pro' } },
        { name: 'engagement', url: project, hashMode: 1, props: undefined },
      ]
      const order = (list: readonly object[]) => [...list].map((item) => JSON.stringify(item)).sort()
      assert.deepEqual(order(seen), order(expected))
      for (const event of events) {
        assert.equal(event.userAgent, userAgent)
        assert.equal(event.effectiveIp, '127.0.0.1')
        assert.equal(event.body.v, 36, "the tracker's script version is passed on")
        assert.deepEqual(event.violations, [])
        if (event.body.name === 'engagement')
          assert.ok(Number.isInteger(event.body.sd), JSON.stringify(event.body))
      }
    } finally {
      await page.close()
      await server.close()
    }
  })

  describe('from a server started as the README says, behind a forward proxy (HTTPS_PROXY), to Plausible over HTTPS', {
    skip: forwardProxyUnavailable() ?? opensslUnavailable(),
  }, () => {
    let certificates: TestCertificates
    let secure: FakePlausible
    let proxy: ForwardProxy
    before(async () => {
      buildServerBundles()
      certificates = makeTestCertificates()
      secure = await startFakePlausible({ domain: SITE, tls: certificates.server })
      proxy = await startForwardProxy()
    })
    after(async () => {
      await Promise.all([secure?.stop(), proxy?.stop()])
      certificates?.dispose()
    })

    for (const runtime of RUNTIMES) {
      it(`delivers a page view on ${runtime.name} with the real client IP and UA and no query string`, async () => {
        const server = await startServer(runtime.standalone, {
          PORT: String(await freePort()),
          HOST: '127.0.0.1',
          PLAUSIBLE_ENABLED: 'true',
          PLAUSIBLE_URL: secure.url,
          PLAUSIBLE_DOMAIN: SITE,
          HTTPS_PROXY: proxy.url,
          [TRUST_VARIABLE[runtime.name]]: certificates.caFile,
        })
        const bundle = await readFile(`${PROJECT_ROOT}dist/browser/tracker.js`, 'utf8')
        const page = await browser.newPage()
        // meshPanel's page and its script come from meshPanel; here the browser is handed them on the module's origin.
        await page.route(`${server.url}/app/**`, (route) =>
          route.fulfill({ contentType: 'text/html', body: PAGE }),
        )
        await page.route(`${server.url}/assets/tracker.js`, (route) =>
          route.fulfill({ contentType: 'text/javascript', body: bundle }),
        )
        try {
          const before = secure.events.length
          const tunnels = proxy.requests().length
          await page.goto(`${server.url}/app/dashboard?token=secret&tab=2#top`)
          await page.waitForSelector('body[data-tracker="enabled"]')
          const event = (await secure.waitForEvents(before + 1))[before]
          assert.deepEqual(event?.body, {
            name: 'pageview',
            url: `http://${SITE}/app/dashboard`,
            domain: SITE,
            referrer: null,
          })
          assert.equal(event?.userAgent, await page.evaluate(() => navigator.userAgent))
          assert.equal(event?.effectiveIp, '127.0.0.1')
          assert.deepEqual(event?.violations, [])
          assert.ok(proxy.requests().slice(tunnels).includes(`CONNECT 127.0.0.1:${secure.port}`))
        } finally {
          await page.close()
          await server.stop()
        }
      })
    }
  })

  it('sends nothing when the relay is disabled', async () => {
    const before = plausible.events.length
    const server = await startPageServer({})
    const page = await browser.newPage()
    try {
      await page.goto(`${server.url}/app/dashboard`)
      await page.waitForSelector('body[data-tracker="disabled"]')
      await page.evaluate(() => {
        const { tracker } = window as unknown as { tracker: { trackEvent(n: string): void } }
        tracker.trackEvent('Signup')
      })
      const status = await page.evaluate(
        async () => (await fetch('/api/event', { method: 'POST', body: '{}' })).status,
      )
      assert.equal(status, 404)
      await new Promise((resolve) => setTimeout(resolve, 300))
      assert.equal(plausible.events.length, before)
    } finally {
      await page.close()
      await server.close()
    }
  })
})
