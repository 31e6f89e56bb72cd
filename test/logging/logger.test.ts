import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createLogger } from '../../src/logging/logger.ts'

const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/

describe('the structured logger', () => {
  it('writes one JSON object per line: time, level, message, then the fields in the order given', () => {
    const lines: string[] = []
    createLogger('debug', (line) => lines.push(line)).info('request', {
      method: 'GET',
      status: 200,
      cached: true,
    })
    assert.equal(lines.length, 1)
    const line = JSON.parse(lines[0] ?? '')
    assert.deepEqual(Object.keys(line), ['time', 'level', 'msg', 'method', 'status', 'cached'])
    assert.match(line.time, ISO_TIME)
    assert.ok(Math.abs(Date.parse(line.time) - Date.now()) < 1000)
    assert.deepEqual(
      { ...line, time: undefined },
      {
        time: undefined,
        level: 'info',
        msg: 'request',
        method: 'GET',
        status: 200,
        cached: true,
      },
    )
  })

  it('writes lines whose fields come serialised exactly as lines given the same fields, and drops those below its level', () => {
    const lines: string[] = []
    const logger = createLogger('info', (line) => lines.push(line))
    logger.linesOf('info', 'request')('"method":"GET","status":200')
    logger.info('request', { method: 'GET', status: 200 })
    logger.linesOf('warn', 'no fields')('')
    logger.linesOf('debug', 'request')('"status":200')
    const [serialised, given, bare] = lines.map((line) => line.replace(/"time":"[^"]+"/, '"time":"T"'))
    assert.equal(serialised, given)
    assert.equal(bare, '{"time":"T","level":"warn","msg":"no fields"}')
    assert.equal(lines.length, 3, 'the debug line is dropped')
  })

  it('leaves out undefined fields, writes a line without fields, and escapes what it is given', () => {
    const lines: string[] = []
    const logger = createLogger('debug', (line) => lines.push(line))
    logger.warn('quote " and\nnewline', { route: 'a"b\\c', missing: undefined })
    logger.error('no fields')
    logger.debug('only undefined', { missing: undefined })
    assert.deepEqual(
      lines.map((line) => {
        const { time, ...rest } = JSON.parse(line)
        return rest
      }),
      [
        { level: 'warn', msg: 'quote " and\nnewline', route: 'a"b\\c' },
        { level: 'error', msg: 'no fields' },
        { level: 'debug', msg: 'only undefined' },
      ],
    )
  })

  it('drops lines below its level and says which levels it writes', () => {
    const lines: string[] = []
    const logger = createLogger('warn', (line) => lines.push(line))
    logger.info('dropped')
    logger.debug('dropped')
    logger.warn('kept')
    assert.deepEqual(
      lines.map((line) => JSON.parse(line).msg),
      ['kept'],
    )
    assert.equal(logger.enabled('info'), false)
    assert.equal(logger.enabled('error'), true)
    const silent = createLogger('silent', (line) => lines.push(line))
    silent.error('dropped')
    assert.equal(lines.length, 1)
  })
})
