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

/**
 * Creates a logger that drops lines below `level`; callers never pass secrets, IPs or bodies.
 * @example createLogger('info', console.log).info('listening', { url: 'http://0.0.0.0:8080' })
 */
export function createLogger(level: LogLevel, sink: LogSink): Logger {
  const enabled = (lineLevel: Exclude<LogLevel, 'silent'>) => SEVERITY[lineLevel] <= SEVERITY[level]
  const writer = (lineLevel: Exclude<LogLevel, 'silent'>): WriteLine => {
    if (!enabled(lineLevel)) return () => {}
    const levelField = `,"level":${JSON.stringify(lineLevel)},"msg":`
    // The request log writes a line per request: the line is joined from pieces JSON.stringify wrote, without
    // building an object per line, and the lines of one millisecond share their timestamp.
    return (message, fields) => {
      const rest = fields === undefined ? '}' : `,${JSON.stringify(fields).slice(1)}`
      sink(`{"time":"${timestamp()}"${levelField}${JSON.stringify(message)}${rest === ',}' ? '}' : rest}`)
    }
  }
  return {
    error: writer('error'),
    warn: writer('warn'),
    info: writer('info'),
    debug: writer('debug'),
    enabled,
  }
}
