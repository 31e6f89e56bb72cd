import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createDeadlines, TIMED_OUT } from '../../src/http/deadlines.ts'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const never = () => new Promise<string>(() => {})

describe('deadlines for concurrent reads', () => {
  it('passes on what a read gives in time, and its failure', async () => {
    const within = createDeadlines(1000)
    assert.equal(await within(Promise.resolve('body')), 'body')
    await assert.rejects(within(Promise.reject(new Error('aborted'))), /aborted/)
  })

  it('gives a read up between the timeout and 1.1 times it', async () => {
    const within = createDeadlines(300)
    const started = performance.now()
    assert.equal(await within(never()), TIMED_OUT)
    const tookMs = performance.now() - started
    assert.ok(tookMs >= 300 && tookMs < 330 + 50, `gave up after ${tookMs} ms`)
  })

  it('gives up reads started close together at the same few instants, as one coarse timer does', async () => {
    const within = createDeadlines(200)
    const givenUp: number[] = []
    const reads: Promise<unknown>[] = []
    const first = performance.now()
    for (let read = 0; read < 40; read++) {
      reads.push(within(never()).then(() => givenUp.push(performance.now())))
      await sleep(1)
    }
    const spanMs = performance.now() - first
    await Promise.all(reads)
    // Reads given up by one tick settle one right after another, possibly across a millisecond boundary: an instant
    // is a run of settlements less than 0.5 ms apart (reads were started at least 1 ms apart).
    const instants = givenUp
      .sort((a, b) => a - b)
      .filter((at, index, all) => index === 0 || at - (all[index - 1] as number) >= 0.5).length
    // Checked every 20 ms: a timer per read would give up about 40 times.
    const ticks = Math.ceil(spanMs / 20) + 1
    assert.ok(instants <= ticks, `given up at ${instants} instants, reads started over ${spanMs} ms`)
  })
})
