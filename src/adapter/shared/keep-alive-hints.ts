import type { OutboundHeaders } from '../../runtime/http-client.ts'

// As undici reads the hint (its keepAliveTimeoutThreshold): 2 s less than announced, for the clocks and the way
// back, and at least 1 s.
const MARGIN_MS = 2000
const LEAST_MS = 1000

export interface KeepAliveHints {
  /** Whether a connection to the URL's server, idle since its last answer, may still be open by its hint. */
  reusable(url: string, nowMs: number): boolean
  /** Notes an answer of the URL's server: when it came, and the `Keep-Alive: timeout` it announced. */
  answered(url: string, headers: OutboundHeaders, nowMs: number): void
}

const originOf = (url: string): string => {
  const path = url.indexOf('/', url.indexOf('//') + 2)
  return path === -1 ? url : url.slice(0, path)
}

/**
 * The servers' `Keep-Alive: timeout=<seconds>` hints, per origin, for a `fetch` that does not heed them (Bun's
 * reuses a connection the server closed as idle, and the request is lost with it). Once the server's last answer is
 * older than its hint, every connection kept to it may be closed: the next request should open a new one.
 * @example if (!hints.reusable(url, performance.now())) init.keepalive = false
 */
export function keepAliveHints(): KeepAliveHints {
  const servers = new Map<string, { readonly answeredAt: number; readonly idleMs: number }>()
  return {
    reusable(url, nowMs) {
      const server = servers.get(originOf(url))
      return server === undefined || nowMs - server.answeredAt < server.idleMs
    },
    answered(url, headers, nowMs) {
      const seconds = /(?:^|[\s,;])timeout=(\d+)/i.exec(headers.get('keep-alive') ?? '')?.[1]
      if (seconds === undefined) servers.delete(originOf(url))
      else
        servers.set(originOf(url), {
          answeredAt: nowMs,
          idleMs: Math.max(Number(seconds) * 1000 - MARGIN_MS, LEAST_MS),
        })
    },
  }
}
