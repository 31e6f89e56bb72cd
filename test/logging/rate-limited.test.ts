import assert from 'node:assert/strict'
import { describe, it, mock } from 'node:test'
import { createLogger } from '../../src/logging/logger.ts'
import { createRateLimitedLog } from '../../src/logging/rate-limited.ts'

const INTERVAL_MS = 200
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A rate-limited WARN log over a logger whose lines are kept, parsed, without their time. */
function rateLimitedLines() {
  const lines: Record<string, unknown>[] = []
  const logger = createLogger('warn', (line) => {
    const { time: _, ...rest } = JSON.parse(line)
    lines.push(rest)
  })
  return { lines, log: createRateLimitedLog(logger.warn, INTERVAL_MS) }
}

describe('a rate-limited log', () => {
  it('reports what an interval counted at the next occurrence after it, when its timer never fired', async () => {
    // workerd ends a timer with the request that set it: a count must not wait for it forever.
    const { lines, log } = rateLimitedLines()
    mock.timers.enable({ apis: ['setTimeout'] })
    try {
      log.write('timeout', 'relay send failed', { reason: 'timeout' })
      log.write('timeout', 'relay send failed', { reason: 'timeout' })
      const waited = performance.now()
      while (performance.now() - waited < INTERVAL_MS + 20)
        await new Promise((resolve) => setImmediate(resolve))
      log.write('timeout', 'relay send failed', { reason: 'timeout' })
    } finally {
      mock.timers.reset()
    }
    const counts = lines.map(({ count }) => count)
    assert.deepEqual(counts, [1, 1], 'the second occurrence reported once the interval had passed')
    assert.ok(Number(lines[1]?.sinceMs) >= INTERVAL_MS)
    log.flush()
    assert.deepEqual(
      lines.map(({ count }) => count),
      [1, 1, 1],
      'the third, counted in the next interval, written on flush',
    )
  })

  it('writes the first occurrence at once, with a count of 1', () => {
    const { lines, log } = rateLimitedLines()
    log.write('timeout', 'relay send failed', { reason: 'timeout' })
    assert.deepEqual(lines, [{ level: 'warn', msg: 'relay send failed', reason: 'timeout', count: 1 }])
    log.flush()
  })

  it('writes a burst of 50 as one line, and the other 49 with their time span when the interval ends', async () => {
    const { lines, log } = rateLimitedLines()
    for (let occurrence = 0; occurrence < 50; occurrence++)
      log.write('status 500', 'relay send failed', { reason: 'status', status: 500 })
    assert.equal(lines.length, 1)
    await sleep(INTERVAL_MS * 1.5)
    assert.equal(lines.length, 2)
    const { sinceMs, ...summary } = lines[1] as { sinceMs: number }
    assert.deepEqual(summary, {
      level: 'warn',
      msg: 'relay send failed',
      reason: 'status',
      status: 500,
      count: 49,
    })
    assert.ok(sinceMs >= INTERVAL_MS - 5 && sinceMs < INTERVAL_MS * 1.5, `sinceMs ${sinceMs}`)
    log.flush()
  })

  it('keeps one count per key, each written with the fields of its latest occurrence', () => {
    const { lines, log } = rateLimitedLines()
    log.write('refused', 'relay send failed', { reason: 'refused', error: 'first' })
    log.write('timeout', 'relay send failed', { reason: 'timeout' })
    log.write('refused', 'relay send failed', { reason: 'refused', error: 'second' })
    log.write('refused', 'relay send failed', { reason: 'refused', error: 'third' })
    log.flush()
    assert.deepEqual(
      lines.map(({ sinceMs: _, ...line }) => line),
      [
        { level: 'warn', msg: 'relay send failed', reason: 'refused', error: 'first', count: 1 },
        { level: 'warn', msg: 'relay send failed', reason: 'timeout', count: 1 },
        { level: 'warn', msg: 'relay send failed', reason: 'refused', error: 'third', count: 2 },
      ],
    )
  })

  it('writes a line at most once per interval per key, however long the occurrences go on', async () => {
    const { lines, log } = rateLimitedLines()
    const started = performance.now()
    while (performance.now() - started < INTERVAL_MS * 2.5) {
      log.write('queue-full', 'relay queue full, events refused')
      await sleep(5)
    }
    log.flush()
    // The first at once, one as each of the two intervals ended, and the rest at the flush.
    assert.equal(lines.length, 4)
    const counted = lines.reduce((sum, line) => sum + Number(line.count), 0)
    assert.ok(counted > 50, `${counted} occurrences counted`)
  })

  it('writes at once again once a whole interval passed without an occurrence', async () => {
    const { lines, log } = rateLimitedLines()
    log.write('timeout', 'relay send failed')
    await sleep(INTERVAL_MS * 1.5)
    assert.equal(lines.length, 1, 'nothing to report when the interval ended')
    log.write('timeout', 'relay send failed')
    assert.equal(lines.length, 2)
    assert.equal(lines[1]?.count, 1)
    log.flush()
  })

  it('writes nothing at a flush when every occurrence was written', () => {
    const { lines, log } = rateLimitedLines()
    log.write('timeout', 'relay send failed')
    log.flush()
    log.flush()
    assert.equal(lines.length, 1)
  })
})
