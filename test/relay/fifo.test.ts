import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createFifo } from '../../src/relay/fifo.ts'

describe('the forwarding queue’s first-in, first-out list', () => {
  it('gives items back in the order they came, across many compactions, while items keep arriving', () => {
    const fifo = createFifo<number>()
    const taken: number[] = []
    let pushed = 0
    for (let round = 0; round < 50; round++) {
      for (let index = 0; index < 700; index++) fifo.push(pushed++)
      for (let index = 0; index < 500; index++) taken.push(fifo.shift() as number)
    }
    while (fifo.length() > 0) taken.push(fifo.shift() as number)
    assert.deepEqual(
      taken,
      Array.from({ length: pushed }, (_, index) => index),
    )
    assert.equal(fifo.shift(), undefined)
  })

  it('hands over what it holds, oldest first, and is empty afterwards', () => {
    const fifo = createFifo<string>()
    for (const item of ['a', 'b', 'c', 'd']) fifo.push(item)
    fifo.shift()
    assert.deepEqual(fifo.takeAll(), ['b', 'c', 'd'])
    assert.equal(fifo.length(), 0)
    fifo.push('e')
    assert.equal(fifo.shift(), 'e')
  })
})
