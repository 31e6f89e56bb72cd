import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { type PendingLines, stdoutLog } from '../../src/adapter/shared/stdout-log.ts'

/** A process whose stdout keeps a copy of what it is given, as the port requires, and whose exit can be played. */
function recordingProcess() {
  const encoder = new TextEncoder()
  const writes: Uint8Array[] = []
  const exits: (() => void)[] = []
  return {
    writes,
    text: () => new TextDecoder().decode(Buffer.concat(writes)),
    exit: () => {
      for (const listener of exits) listener()
    },
    host: {
      writeStdout: (chunk: string | Uint8Array) =>
        writes.push(typeof chunk === 'string' ? encoder.encode(chunk) : chunk.slice()),
      onExit: (listener: () => void) => exits.push(listener),
    },
  }
}

for (const pending of ['encoded', 'joined'] satisfies PendingLines[])
  describe(`the buffered stdout sink, lines waiting ${pending}`, () => {
    it('writes the lines of a burst together, each on its own line, within 20 ms', async () => {
      const stdout = recordingProcess()
      const log = stdoutLog(stdout.host, pending)
      log('{"n":1}')
      log('{"n":2}')
      assert.equal(stdout.writes.length, 0)
      await new Promise((resolve) => setTimeout(resolve, 50))
      assert.equal(stdout.writes.length, 1)
      assert.equal(stdout.text(), '{"n":1}\n{"n":2}\n')
    })

    it('keeps every character of lines beyond ASCII, as UTF-8', () => {
      const stdout = recordingProcess()
      const log = stdoutLog(stdout.host, pending)
      const lines = ['{"msg":"Grüße"}', '{"msg":"日本語"}', '{"msg":"🚀 launched"}']
      for (const line of lines) log(line)
      stdout.exit()
      assert.equal(stdout.text(), `${lines.join('\n')}\n`)
    })

    it('writes at once past 64 KiB, and a line longer than its buffer whole and in order', () => {
      const stdout = recordingProcess()
      const log = stdoutLog(stdout.host, pending)
      const small = `{"msg":"${'a'.repeat(1000)}"}`
      for (let line = 0; line < 70; line++) log(small)
      assert.equal(stdout.writes.length, 1, 'the 66th line passed 64 KiB')
      const huge = `{"msg":"${'é'.repeat(300_000)}"}`
      log(huge)
      log(small)
      stdout.exit()
      assert.equal(stdout.text(), `${[...Array(70).fill(small), huge, small].join('\n')}\n`)
    })

    it('writes what is pending when the process exits, and nothing when nothing is', () => {
      const stdout = recordingProcess()
      stdoutLog(stdout.host, pending)('{"msg":"stopped"}')
      stdout.exit()
      stdout.exit()
      assert.equal(stdout.writes.length, 1)
      assert.equal(stdout.text(), '{"msg":"stopped"}\n')
    })
  })
