// The benchmark commands the README documents are the ones package.json has, and each runs a file that is there.
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { describe, it } from 'node:test'
import { PROJECT_ROOT } from '../helpers/project.ts'

const readProjectFile = (file: string) => readFile(new URL(file, `file://${PROJECT_ROOT}`), 'utf8')

async function benchScripts(): Promise<Record<string, string>> {
  const { scripts } = JSON.parse(await readProjectFile('package.json')) as { scripts: Record<string, string> }
  return Object.fromEntries(Object.entries(scripts).filter(([name]) => /^bench(:|$)/.test(name)))
}

describe('the benchmark commands', () => {
  it("are in package.json as the README's development table names them, and the other way round", async () => {
    const readme = await readProjectFile('README.md')
    const documented = new Set([...readme.matchAll(/`npm run (bench(?::[\w-]+)?)/g)].map(([, name]) => name))
    assert.deepEqual([...documented].sort(), Object.keys(await benchScripts()).sort())
  })

  it('documents `npm run bench -- --quick`', async () => {
    const readme = await readProjectFile('README.md')
    const row = readme.split('\n').find((line) => line.startsWith('| `npm run bench` '))
    assert.match(row ?? '', /`-- --quick`/)
  })

  it('run files that exist', async () => {
    for (const [name, command] of Object.entries(await benchScripts())) {
      const files = [...command.matchAll(/(?:tsx|bash) (bench\/\S+)/g)].map(([, file]) => file ?? '')
      assert.ok(files.length > 0, `${name} runs no bench/ file: ${command}`)
      for (const file of files) assert.ok(existsSync(`${PROJECT_ROOT}${file}`), `${name}: ${file} is missing`)
    }
  })
})
