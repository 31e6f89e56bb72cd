/** One invalid setting: which one, what it must be, and what it was (already safe to print). */
export interface ConfigProblem {
  readonly name: string
  readonly expected: string
  readonly received: string
}

/**
 * Thrown when options or environment variables are invalid; lists every problem at once.
 * @example `Cannot start: PORT must be an integer between 1 and 65535, got "abc"`
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError'
  readonly problems: readonly ConfigProblem[]

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
