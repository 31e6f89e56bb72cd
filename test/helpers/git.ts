import { execFileSync } from 'node:child_process'

/**
 * Runs git in `cwd` and gives its output trimmed; an author is set, so that commits work on a machine without one.
 * @example git(PROJECT_ROOT, 'rev-parse', 'HEAD')
 */
export const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args], { cwd })
    .toString()
    .trim()
