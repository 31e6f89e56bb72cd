// The visitor's address as Plausible decides it from a request's headers and socket.

/** PlausibleWeb.RemoteIP.get (plausible/analytics lib/plausible_web/remote_ip.ex @8093f6be), in its priority order. */
export function remoteIp(
  headers: Readonly<Record<string, string>>,
  socketIp: string | undefined,
): string | undefined {
  // Elixir's `cond` treats an empty header value as present, so `!== undefined`, not truthiness.
  const plausibleIp = headers['x-plausible-ip']
  if (plausibleIp !== undefined) return cleanIp(plausibleIp)
  const cfConnectingIp = headers['cf-connecting-ip']
  if (cfConnectingIp !== undefined) return cleanIp(cfConnectingIp)
  const bForwardedFor = headers['b-forwarded-for']
  if (bForwardedFor !== undefined) return firstForwardedFor(bForwardedFor)
  const xForwardedFor = headers['x-forwarded-for']
  if (xForwardedFor !== undefined) return firstForwardedFor(xForwardedFor)
  const forwarded = headers.forwarded
  if (forwarded !== undefined) {
    // Without a `for=` Plausible crashes (500); there is no IP to report then.
    const match = /for=([^;,]+)/.exec(forwarded)
    return match?.[1] === undefined ? undefined : cleanIp(match[1].replace(/^"+|"+$/g, ''))
  }
  return socketIp
}

const firstForwardedFor = (header: string) => cleanIp(header.split(',')[0]?.trim() ?? '')

/** Strips a port (`1.2.3.4:80`, `[::1]:80`) and the brackets around an IPv6 address, as Plausible does. */
const cleanIp = (ip: string) =>
  ip
    .replace(/((\.\d+)|(\]))(:[0-9]+)$/, '$1')
    .replace(/^\[+/, '')
    .replace(/\]+$/, '')
