import { ConfigError } from '../config/config-error.ts'
import type { Env } from '../config/environment.ts'
import { fileErrorCode, type ReadTextFileSync } from '../runtime/files.ts'

/**
 * Reads the JSON files that variables name (`METRICS_SQL_FILE`), by variable. A file that cannot be read or is not
 * JSON stops the start; the message never quotes the file, which may hold queries or secrets.
 */
export function readStandaloneFiles(env: Env, readTextFileSync: ReadTextFileSync): Record<string, unknown> {
  const path = env.METRICS_SQL_FILE?.trim()
  if (!path) return {}
  const problem = (why: string) =>
    new ConfigError('start', [
      {
        name: 'METRICS_SQL_FILE',
        expected: 'a readable JSON file like examples/mesh-objects.json',
        received: `${JSON.stringify(path)} (${why})`,
      },
    ])
  let text: string
  try {
    text = readTextFileSync(path)
  } catch (error) {
    throw problem(fileErrorCode(error) ?? 'unreadable')
  }
  try {
    return { METRICS_SQL_FILE: JSON.parse(text) }
  } catch {
    throw problem('not valid JSON')
  }
}
