/**
 * Tracks a page view now and whenever the page's address changes, once per address: plausible-tracker's own
 * `enableAutoPageviews` counts a fragment change twice in hash mode, as browsers fire both `popstate` and
 * `hashchange` for it. Outside hash mode the fragment is no part of the page. Returns a function that stops it.
 * @example const stop = trackAddressChanges(() => plausible.trackPageview(), { hashMode: true })
 */
export function trackAddressChanges(
  trackPageview: () => void,
  { hashMode }: { readonly hashMode: boolean },
): () => void {
  let tracked: string | undefined
  const page = () => {
    const address = hashMode ? window.location.href : window.location.href.split('#')[0]
    if (address === tracked) return
    tracked = address
    trackPageview()
  }
  const pushState = window.history.pushState
  window.history.pushState = function (this: History, ...args: Parameters<History['pushState']>) {
    pushState.apply(this, args)
    page()
  }
  window.addEventListener('popstate', page)
  window.addEventListener('hashchange', page)
  page()
  return () => {
    window.history.pushState = pushState
    window.removeEventListener('popstate', page)
    window.removeEventListener('hashchange', page)
  }
}
