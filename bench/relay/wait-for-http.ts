import { setTimeout as sleep } from 'node:timers/promises'

/** Polls `url` until it answers 2xx; gives up after `timeoutMs`. */
export async function waitForHttp(url: string, init: RequestInit = {}, timeoutMs = 20_000): Promise<void> {
  const until = performance.now() + timeoutMs
  while (performance.now() < until) {
    try {
      const response = await fetch(url, init)
      await response.arrayBuffer()
      if (response.ok) return
    } catch {
      // not listening yet
    }
    await sleep(50)
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`)
}
