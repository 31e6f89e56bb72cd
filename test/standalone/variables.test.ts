import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { describe, it } from 'node:test'
import { renderReadme } from '../../scripts/config-doc.ts'
import { valueAtPath } from '../../src/config/problems.ts'
import { optionsFromEnvironment, readStandaloneConfig } from '../../src/standalone/environment.ts'
import { VARIABLES } from '../../src/standalone/variables.ts'

describe('the one list of environment variables', () => {
  it('is the configuration table of the README (run npm run docs:config after changing a variable)', async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8')
    assert.equal(readme, await renderReadme())
  })

  it('documents the defaults the server starts with', () => {
    // The database settings have defaults once there is a database.
    const env = { DATABASE_URL: 'mysql://meshstack@db:3306/meshstack' }
    const started = { server: readStandaloneConfig(env).server, telemetry: optionsFromEnvironment(env) }
    const checked = VARIABLES.flatMap(({ name, path, read = (text: string) => text, defaultText }) => {
      const literal = /^`([^`]+)`$/.exec(defaultText)?.[1]
      return literal === undefined
        ? []
        : [{ name, expected: read(literal), actual: valueAtPath(started, path) }]
    })
    assert.ok(checked.length >= 25, `${checked.length} defaults checked`)
    for (const { name, expected, actual } of checked) assert.deepEqual(actual, expected, name)
  })

  it('names every variable once, each reaching a setting of its own', () => {
    const names = VARIABLES.flatMap(({ name, aliases = [] }) => [name, ...aliases])
    assert.equal(new Set(names).size, names.length)
    const paths = VARIABLES.map(({ path }) => path)
    assert.equal(new Set(paths).size, paths.length)
  })
})
