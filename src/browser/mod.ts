// Browser entry (`@meshcloud/meshstack-telemetry/browser`): usage events and product feedback from meshPanel's
// pages, sent with plausible-tracker to the relay on meshPanel's own origin, never to a third party.
import * as plausibleTracker from 'plausible-tracker'
import { trackAddressChanges } from './auto-pageviews.ts'
import { sendNonInteractive } from './non-interactive.ts'

// Bundlers load plausible-tracker's ES module, whose default export is the function; TypeScript (NodeNext) types
// its CommonJS build, whose default is the module object holding the function. Accept both.
type CreatePlausible = typeof plausibleTracker.default.default
const imported = plausibleTracker.default as unknown as CreatePlausible | { default: CreatePlausible }
const createPlausible: CreatePlausible = typeof imported === 'function' ? imported : imported.default

/** An event's custom properties; the relay keeps only those `PLAUSIBLE_EVENTS` lists for the event. */
export type UsageProps = Readonly<Record<string, string | number | boolean>>

/** How `createUsageTracker` sends: whether at all, for which site, through which relay. */
export interface UsageTrackerOptions {
  /** When false, nothing is ever sent. */
  readonly enabled: boolean
  /** The Plausible site domain the relay serves. */
  readonly domain: string
  /** Where the relay is: `''` (this origin, the default) or a path on it such as `/meshpanel`. */
  readonly apiHost?: string
  /** The page routes by its fragment (`#/workspaces/...`): the fragment is the page, and changes of it are views. */
  readonly hashMode?: boolean
}

/** Product feedback from a page: a rating, what it is about, and words if the user gave some. */
export interface Feedback {
  /** 1 (poor) to 5 (great). */
  readonly rating: 1 | 2 | 3 | 4 | 5
  /** What the feedback is about, such as "workspace-creation". */
  readonly topic: string
  /** The user's own words, cut to 1,000 characters. */
  readonly message?: string
}

/** Sends page views, events and feedback to the relay; every call does nothing when it is disabled. */
export interface UsageTracker {
  /** Whether anything is sent. */
  readonly enabled: boolean
  /** Tracks a view of the page as it is now. */
  trackPageview(): void
  /** Tracks a page view now and on every single-page navigation; returns a function that stops it. */
  enableAutoPageviews(): () => void
  /** `interactive: false` leaves the event out of the bounce rate, as for events the visitor did not cause. */
  trackEvent(name: string, props?: UsageProps, options?: { readonly interactive?: boolean }): void
  /** Sends a `Feedback` event with `rating`, `topic` and `message` props, non-interactive: giving feedback is no visit. */
  sendFeedback(feedback: Feedback): void
}

const MAX_MESSAGE_CHARS = 1000

const DISABLED: UsageTracker = {
  enabled: false,
  trackPageview: () => {},
  enableAutoPageviews: () => () => {},
  trackEvent: () => {},
  sendFeedback: () => {},
}

/** Only this page's origin: a path, or an absolute URL whose origin is this page's. */
function sameOriginApiHost(apiHost: string): string {
  if (apiHost === '' || (apiHost.startsWith('/') && !apiHost.startsWith('//')))
    return apiHost.replace(/\/+$/, '')
  if (URL.canParse(apiHost) && new URL(apiHost).origin === window.location.origin)
    return apiHost.replace(/\/+$/, '')
  throw new Error(
    `Cannot create the usage tracker: apiHost must be on this page's origin, got ${JSON.stringify(apiHost)}`,
  )
}

/**
 * Creates the tracker; when `enabled` is false every call does nothing.
 * @example createUsageTracker({ enabled: true, domain: 'meshpanel.example.com' }).enableAutoPageviews()
 */
export function createUsageTracker({
  enabled,
  domain,
  apiHost = '',
  hashMode = false,
}: UsageTrackerOptions): UsageTracker {
  if (!enabled) return DISABLED
  const relay = { domain, apiHost: sameOriginApiHost(apiHost), hashMode }
  // The relay decides what leaves, so pages served from localhost (development, tests) send too.
  const plausible = createPlausible({ ...relay, trackLocalhost: true })
  const trackEvent: UsageTracker['trackEvent'] = (name, props, options) =>
    options?.interactive === false
      ? sendNonInteractive(relay, name, props)
      : plausible.trackEvent(name, props ? { props: { ...props } } : undefined)
  return {
    enabled: true,
    trackPageview: () => plausible.trackPageview(),
    enableAutoPageviews: () => trackAddressChanges(() => plausible.trackPageview(), relay),
    trackEvent,
    sendFeedback: ({ rating, topic, message }) => {
      if (!Number.isInteger(rating) || rating < 1 || rating > 5) {
        throw new Error(
          `Cannot send feedback: rating must be an integer from 1 to 5, got ${JSON.stringify(rating)}`,
        )
      }
      const text = message?.trim().slice(0, MAX_MESSAGE_CHARS)
      trackEvent('Feedback', { rating, topic, ...(text ? { message: text } : {}) }, { interactive: false })
    },
  }
}

/**
 * Asks the server whether usage tracking is enabled, then creates the tracker; disabled when the server says so
 * or cannot be asked.
 * @example const tracker = await loadUsageTracker(); tracker.enableAutoPageviews()
 */
export async function loadUsageTracker(
  configPath = '/api/telemetry/config',
  { hashMode = false }: { readonly hashMode?: boolean } = {},
): Promise<UsageTracker> {
  try {
    const config = (await (await fetch(configPath, { credentials: 'omit' })).json()) as {
      enabled?: unknown
      domain?: unknown
      apiHost?: unknown
    }
    if (config.enabled !== true || typeof config.domain !== 'string') return DISABLED
    return createUsageTracker({
      enabled: true,
      domain: config.domain,
      apiHost: typeof config.apiHost === 'string' ? config.apiHost : '',
      hashMode,
    })
  } catch {
    return DISABLED
  }
}
