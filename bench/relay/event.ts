// What every proxy in the benchmark is sent: plausible-tracker's pageview, as a browser posts it.

export const USER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36'

/** The body plausible-tracker posts for a page view (short keys, `text/plain`). */
export const EVENT = JSON.stringify({
  n: 'pageview',
  u: 'https://meshpanel.example.com/dashboard',
  d: 'meshpanel.example.com',
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
