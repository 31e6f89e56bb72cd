// The machine's pace that bench/RESULTS.md records next to its figures.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { measurePace, paceSentence, parseCpuTimes, stealPercent } from '../../bench/pace.ts'

// /proc/stat as this machine wrote it (Linux's proc(5): user nice system idle iowait irq softirq steal guest guest_nice).
const STAT = 'cpu  22690 0 8771 53331 1368 0 995 2362 0 0\ncpu0 11000 0 4300 26600 700 0 500 1200 0 0\n'

describe("the machine's pace", () => {
  it("reads the cores' time and the hypervisor's share from /proc/stat's cpu line, guest time being inside user", () => {
    assert.deepEqual(parseCpuTimes(STAT), { total: 89517, steal: 2362 })
  })

  it('has no CPU times for a text without a cpu line', () => {
    assert.equal(parseCpuTimes('intr 1 2 3\n'), undefined)
  })

  it("is the hypervisor's share of the time between two readings, unknown when either is missing", () => {
    assert.equal(stealPercent({ total: 1000, steal: 10 }, { total: 2000, steal: 60 }), 5)
    assert.equal(stealPercent(undefined, { total: 2000, steal: 60 }), undefined)
    assert.equal(stealPercent({ total: 2000, steal: 60 }, { total: 2000, steal: 60 }), undefined)
  })

  it("measures a loop's iteration, a fresh page's first write and a round trip to another process as positive times", async () => {
    const { loopNs, freshPageUs, roundTripUs } = await measurePace()
    assert.ok(Number.isFinite(loopNs) && loopNs > 0, `loop: ${loopNs} ns`)
    assert.ok(Number.isFinite(freshPageUs) && freshPageUs > 0, `page: ${freshPageUs} µs`)
    assert.ok(Number.isFinite(roundTripUs) && roundTripUs > 0, `round trip: ${roundTripUs} µs`)
  })

  it('says both ends of the run and the steal in one sentence', () => {
    const sentence = paceSentence(
      { loopNs: 1.5, freshPageUs: 3.7, roundTripUs: 81.4 },
      { loopNs: 1.6, freshPageUs: 0.9, roundTripUs: 24.6 },
      2.61,
    )
    assert.equal(
      sentence,
      "a JavaScript loop took 1.50 ns an iteration at the start and 1.60 at the end; writing to a fresh memory page 3.70 µs and 0.90; a byte to another process and back over loopback TCP 81 µs and 25; the hypervisor took 2.6 % of the cores' time during the run (steal, /proc/stat)",
    )
  })
})
