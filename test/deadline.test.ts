import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { withTimeout } from '../src/deadline.ts'

setFlagsFromString('--expose-gc')
const collectGarbage = runInNewContext('gc') as () => void

const aborted = (signal: AbortSignal, withinMs: number): Promise<'aborted' | 'still waiting'> =>
  new Promise((resolve) => {
    const timer = setTimeout(() => resolve('still waiting'), withinMs)
    signal.addEventListener('abort', () => {
      clearTimeout(timer)
      resolve('aborted')
    })
  })

describe('withTimeout: a signal that aborts with the caller or after a time', () => {
  it('aborts after its time while garbage is collected, which AbortSignal.any with AbortSignal.timeout does not on Node 20', async () => {
    // nodejs/node#57736: a timeout signal that only a composite follows may be collected before it fires, and the
    // composite then never aborts. Scrapes of a frozen database waited for the collector's 5 s instead of 2 s.
    const pressure = setInterval(collectGarbage, 10)
    try {
      const started = performance.now()
      const { signal } = withTimeout(new AbortController().signal, 200)
      assert.equal(await aborted(signal, 2000), 'aborted')
      assert.ok(performance.now() - started < 1000)
      assert.equal((signal.reason as Error).name, 'TimeoutError')
    } finally {
      clearInterval(pressure)
    }
  })

  it("aborts with the caller's reason when the caller gives up first", async () => {
    const caller = new AbortController()
    const { signal } = withTimeout(caller.signal, 60_000)
    const reason = new Error('the scrape ended')
    const seen = aborted(signal, 100)
    caller.abort(reason)
    assert.equal(await seen, 'aborted')
    assert.equal(signal.reason, reason)
  })

  it('is aborted at once for a caller that already gave up', () => {
    const { signal } = withTimeout(AbortSignal.abort(new Error('gone')), 60_000)
    assert.equal(signal.aborted, true)
    assert.equal((signal.reason as Error).message, 'gone')
  })

  it("never aborts once cleared, neither after its time nor with the caller's signal", async () => {
    const caller = new AbortController()
    const { signal, clear } = withTimeout(caller.signal, 50)
    clear()
    caller.abort()
    assert.equal(await aborted(signal, 150), 'still waiting')
  })
})
