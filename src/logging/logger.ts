import type { LogLevel } from '../config/fields.ts'

/** Writes one finished log line; defaults to the console. */
export type LogSink = (line: string) => void

/** A log line's fields next to its message; undefined ones are left out. */
export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>
/** Writes one line at a logger's level. */
export type WriteLine = (message: string, fields?: LogFields) => void

/** Structured logger: one JSON object per line. Logs stay on this machine; they are never telemetry. */
export interface Logger {
  readonly error: WriteLine
  readonly warn: WriteLine
  readonly info: WriteLine
  readonly debug: WriteLine
  /** Whether lines of this level are written: work done only to log can be skipped otherwise. */
  readonly enabled: (lineLevel: Exclude<LogLevel, 'silent'>) => boolean
  /**
   * Writes lines of one level and message whose fields the caller serialised as JSON members
   * (`"status":200,"durationMs":1.5`), so that what every line of a kind shares is serialised once. Lines below
   * the logger's level are dropped.
   * @example const request = logger.linesOf('info', 'request'); request('"status":200')
   */
  readonly linesOf: (lineLevel: Exclude<LogLevel, 'silent'>, message: string) => (members: string) => void
}

const SEVERITY: Record<LogLevel, number> = { silent: 0, error: 1, warn: 2, info: 3, debug: 4 }

let lastMillisecond = Number.NaN
let lastTimestamp = ''
/** The ISO 8601 time of now, computed once per millisecond. */
function timestamp(): string {
  const now = Date.now()
  if (now !== lastMillisecond) {
    lastMillisecond = now
    lastTimestamp = new Date(now).toISOString()
  }
  return lastTimestamp
}

/** `{"a":1,"b":"x"}` without its braces; undefined fields are left out, as JSON.stringify leaves them. */
export const membersOf = (fields: LogFields): string => JSON.stringify(fields).slice(1, -1)

/**
 * Creates a logger that drops lines below `level`; callers never pass secrets, IPs or bodies.
 * @example createLogger('info', console.log).info('listening', { url: 'http://0.0.0.0:8080' })
 */
export function createLogger(level: LogLevel, sink: LogSink): Logger {
  const enabled = (lineLevel: Exclude<LogLevel, 'silent'>) => SEVERITY[lineLevel] <= SEVERITY[level]
  // A line is joined from pieces JSON.stringify wrote, and the lines of one millisecond share their timestamp.
  const line = (head: string, members: string) =>
    sink(`{"time":"${timestamp()}"${head}${members === '' ? '' : ','}${members}}`)
  const levelField = (lineLevel: Exclude<LogLevel, 'silent'>) =>
    `,"level":${JSON.stringify(lineLevel)},"msg":`
  const linesOf = (lineLevel: Exclude<LogLevel, 'silent'>, message: string) => {
    if (!enabled(lineLevel)) return () => {}
    const head = `${levelField(lineLevel)}${JSON.stringify(message)}`
    return (members: string) => line(head, members)
  }
  const writer = (lineLevel: Exclude<LogLevel, 'silent'>): WriteLine => {
    if (!enabled(lineLevel)) return () => {}
    const field = levelField(lineLevel)
    return (message, fields) =>
      line(`${field}${JSON.stringify(message)}`, fields === undefined ? '' : membersOf(fields))
  }
  return {
    error: writer('error'),
    warn: writer('warn'),
    info: writer('info'),
    debug: writer('debug'),
    enabled,
    linesOf,
  }
}
