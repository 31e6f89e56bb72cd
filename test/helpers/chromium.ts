// Debian's Chromium, driven by playwright-core (which downloads no browser of its own).
import { existsSync } from 'node:fs'
import { type Browser, chromium } from 'playwright-core'
import { skipForMissingTool } from './skip.ts'

const CHROMIUM = '/usr/bin/chromium'

/** Why browser tests cannot run here, or undefined when they can. Under CI a missing browser is a failure. */
export function chromiumUnavailable(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined
  return skipForMissingTool('SKIPPED: no /usr/bin/chromium on this machine (apt-get install chromium)')
}

/** Headless, and quiet: without these flags Chromium keeps calling home, which this network refuses. */
export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
