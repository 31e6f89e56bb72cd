// One run of the request-log benchmark in a process of its own: writes LINES request-log lines to stdout (which the
// benchmark points at a file, as a container's log driver reads it) with one logger, then prints the wall and CPU
// time it took on stderr as JSON. The loop yields to the event loop every 100 lines, as a server does between
// requests, so that timers and asynchronous writes run.
// Run: node --import tsx bench/request-log/writer.ts ours|pino|pino-buffered LINES > file
import pino from 'pino'
import { nodeProcess } from '../../src/adapter/node/process.ts'
import { stdoutLog } from '../../src/adapter/shared/stdout-log.ts'
import type { ObservedRequest } from '../../src/http/observe-requests.ts'
import { createLogger } from '../../src/logging/logger.ts'
import { requestLog } from '../../src/logging/request-log.ts'
import { LOGGERS, type LoggerName, type WriterTimes } from './loggers.ts'

type LogRequest = (request: ObservedRequest) => void

// pino configured to write what the module's line holds: the level's name, an ISO time, the message as `msg`, no
// pid or hostname.
const pinoOptions: pino.LoggerOptions = {
  base: null,
  timestamp: pino.stdTimeFunctions.isoTime,
  formatters: { level: (label) => ({ level: label }) },
}
/** sonic-boom refuses a `minLength` over its `maxWrite` (16 KiB); pino's documentation shows 4096. */
const PINO_MIN_LENGTH = 4096
const pinoLog =
  (logger: pino.Logger): LogRequest =>
  ({ method, route, status, durationMs }) =>
    logger.info({ method, route, status, durationMs: Math.round(durationMs * 100) / 100 }, 'request')

function loggerNamed(name: LoggerName): { log: LogRequest; end: () => void } {
  if (name === 'ours') {
    // The standalone server's own sink: the lines leave on exit if not before.
    const observer = requestLog(createLogger('info', stdoutLog(nodeProcess)))
    return { log: observer.left, end: () => {} }
  }
  // pino's default destination writes each line synchronously; its documented faster one buffers and writes
  // asynchronously (`minLength`, `sync: false`).
  const destination =
    name === 'pino'
      ? pino.destination({ dest: 1 })
      : pino.destination({ dest: 1, minLength: PINO_MIN_LENGTH, sync: false })
  return { log: pinoLog(pino(pinoOptions, destination)), end: () => destination.flushSync() }
}

const YIELD_EVERY = 100
const [name = '', count = ''] = process.argv.slice(2)
if (!LOGGERS.includes(name as LoggerName)) throw new Error(`logger must be one of ${LOGGERS.join(', ')}`)
const lines = Number(count)
const { log, end } = loggerNamed(name as LoggerName)
// setImmediate rather than setTimeout: a timer's 1 ms floor would be most of the time measured.
const turn = () => new Promise((resolve) => setImmediate(resolve))
const cpuBefore = process.cpuUsage()
const started = performance.now()
for (let line = 0; line < lines; line++) {
  log({ method: 'GET', route: '/version', status: 200, durationMs: (line % 1000) / 997, error: undefined })
  if (line % YIELD_EVERY === YIELD_EVERY - 1) await turn()
}
end()
const wallMs = performance.now() - started
const cpu = process.cpuUsage(cpuBefore)
const times: WriterTimes = { wallMs, cpuMs: (cpu.user + cpu.system) / 1000 }
process.stderr.write(`${JSON.stringify(times)}\n`)
