type Props = Readonly<Record<string, string | number | boolean>>

/**
 * Sends one event marked non-interactive (`i: false`: Plausible leaves it out of the bounce rate), in the form
 * plausible-tracker sends its events. plausible-tracker 0.3.9, unchanged since 2021, has no such flag; its
 * successor, @plausible-analytics/tracker, sends this same `i: false`. Honours the same opt-out.
 * @example sendNonInteractive({ apiHost: '', domain: 'meshpanel.example.com', hashMode: false }, 'Feedback', { rating: 5 })
 */
export function sendNonInteractive(
  {
    apiHost,
    domain,
    hashMode,
  }: { readonly apiHost: string; readonly domain: string; readonly hashMode: boolean },
  name: string,
  props: Props | undefined,
): void {
  try {
    if (window.localStorage.getItem('plausible_ignore') === 'true') return
  } catch {
    // Storage can be blocked; plausible-tracker sends then too.
  }
  const event = {
    n: name,
    u: window.location.href,
    d: domain,
    r: document.referrer || null,
    w: window.innerWidth,
    h: hashMode ? 1 : 0,
    ...(props && { p: JSON.stringify(props) }),
    i: false,
  }
  // keepalive: feedback is often sent just before the page is left.
  void fetch(`${apiHost}/api/event`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    body: JSON.stringify(event),
    credentials: 'omit',
    keepalive: true,
  }).catch(() => {})
}
