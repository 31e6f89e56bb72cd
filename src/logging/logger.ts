import type { LogLevel } from '../config/fields.ts'

/** Writes one finished log line; defaults to the console. */
export type LogSink = (line: string) => void

type Fields = Readonly<Record<string, string | number | boolean | undefined>>
type Write = (message: string, fields?: Fields) => void

/** Structured logger: one JSON object per line. Logs stay on this machine; they are never telemetry. */
export interface Logger {
  readonly error: Write
  readonly warn: Write
  readonly info: Write
  readonly debug: Write
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
    (lineLevel: Exclude<LogLevel, 'silent'>): Write =>
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
