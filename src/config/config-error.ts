/** One invalid setting: which one, what it must be, and what it was (already safe to print). */
export interface ConfigProblem {
  /** The option's path (`plausible.url`) or the variable's name (`PLAUSIBLE_URL`). */
  readonly name: string
  /** What it must be, in words that complete "must be …". */
  readonly expected: string
  /** What it was, quoted, or a description of it when it is a secret. */
  readonly received: string
}

/**
 * Thrown when options or environment variables are invalid; lists every problem at once.
 * @example `Cannot start: PORT must be an integer between 1 and 65535, got "abc"`
 */
export class ConfigError extends Error {
  /** `ConfigError`, for logs that print the name. */
  override readonly name = 'ConfigError'
  /** Every problem, one by one, in the order of the message. */
  readonly problems: readonly ConfigProblem[]

  /** `action` completes "Cannot …": `start`, `create the telemetry app`. */
  constructor(action: string, problems: readonly ConfigProblem[]) {
    super(formatProblems(action, problems))
    this.problems = problems
  }
}

const describeProblem = ({ name, expected, received }: ConfigProblem): string =>
  `${name} must be ${expected}, got ${received}`

function formatProblems(action: string, problems: readonly ConfigProblem[]): string {
  const [only] = problems
  if (problems.length === 1 && only) return `Cannot ${action}: ${describeProblem(only)}`
  const lines = problems.map((problem) => `  - ${describeProblem(problem)}`)
  return [`Cannot ${action}: ${problems.length} settings are invalid`, ...lines].join('\n')
}
