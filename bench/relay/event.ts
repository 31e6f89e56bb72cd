// What every proxy in the benchmark is sent: plausible-tracker's pageview, as a browser posts it.

/** The site the relays under benchmark are configured for (PLAUSIBLE_DOMAIN), and every event names. */
export const SITE = 'meshpanel.example.com'

export const USER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36'

/** The body plausible-tracker posts for a page view (short keys, `text/plain`). */
export const EVENT = JSON.stringify({
  n: 'pageview',
  u: `https://${SITE}/dashboard`,
  d: SITE,
  r: null,
  w: 1280,
  h: 0,
})

/** The event as `fetch` options, for the readiness checks. */
export const POST_EVENT: RequestInit = {
  method: 'POST',
  headers: { 'content-type': 'text/plain', 'user-agent': USER_AGENT },
  body: EVENT,
}
