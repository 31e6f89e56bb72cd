import { readFile } from 'node:fs/promises'
import { ConfigError } from '../config/config-error.ts'
import type { Env, StandaloneFiles } from '../config/env.ts'

/** Reads the files environment variables point to; a file that cannot be read or parsed stops the start. */
export async function readStandaloneFiles(env: Env): Promise<StandaloneFiles> {
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
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw problem(error instanceof Error && 'code' in error ? String(error.code) : 'unreadable')
  }
  try {
    return { metricsSql: JSON.parse(text) }
  } catch (error) {
    throw problem(error instanceof Error ? error.message : 'not JSON')
  }
}
