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

/**
 * Creates a logger that drops lines below `level`; callers never pass secrets, IPs or bodies.
 * @example createLogger('info', console.log).info('listening', { url: 'http://0.0.0.0:8080' })
 */
export function createLogger(level: LogLevel, sink: LogSink): Logger {
  const enabled = (lineLevel: Exclude<LogLevel, 'silent'>) => SEVERITY[lineLevel] <= SEVERITY[level]
  const writer =
    (lineLevel: Exclude<LogLevel, 'silent'>): WriteLine =>
    (message, fields) => {
      if (!enabled(lineLevel)) return
      sink(JSON.stringify({ time: new Date().toISOString(), level: lineLevel, msg: message, ...fields }))
    }
  return {
    error: writer('error'),
    warn: writer('warn'),
    info: writer('info'),
    debug: writer('debug'),
    enabled,
  }
}
