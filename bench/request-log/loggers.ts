/** The loggers measured: each writes the same members (time, level, msg, method, route, status, durationMs). */
export const LOGGERS = ['ours', 'pino', 'pino-buffered'] as const
export type LoggerName = (typeof LOGGERS)[number]

/** What a writer's run reports on stderr. */
export interface WriterTimes {
  readonly wallMs: number
  readonly cpuMs: number
}
