// The check behind "the tests need no network beyond loopback" (test/helpers/loopback-only.mjs), which `npm run
// test:specs` loads into every Node process of the run: what it must catch, even when the code swallows the error.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { describe, it } from 'node:test'
import { PATH_WITH_LOCAL_BINS, PROJECT_ROOT } from './helpers/project.ts'

const PRELOAD = `${PROJECT_ROOT}test/helpers/loopback-only.mjs`

/** Runs `script` in a fresh Node process that loads the check as the test runner does, as a run of its own. */
const runChecked = (script: string) =>
  spawnSync('node', [`--import=${PRELOAD}`, '--input-type=module', '-e', script], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    timeout: 20_000,
    env: { PATH: PATH_WITH_LOCAL_BINS, HOME: process.env.HOME ?? '/tmp' },
  })

describe('the loopback check', () => {
  it('fails the run for a lookup, a connection by name and one by address, each swallowed by the code that made it', () => {
    const run = runChecked(`
      import dns from 'node:dns'
      import net from 'node:net'
      await fetch('https://workers.cloudflare.com/cf.json').catch(() => {})
      await dns.promises.lookup('plausible.example.com').catch(() => {})
      await new Promise((resolve) => net.connect(443, '192.0.2.7').on('error', resolve))
    `)
    assert.equal(run.status, 1, run.stderr)
    assert.match(run.stderr, /The tests reached beyond loopback/)
    for (const attempt of [
      '"kind":"connect","target":"workers.cloudflare.com:443"',
      '"kind":"lookup","target":"plausible.example.com"',
      '"kind":"connect","target":"192.0.2.7:443"',
    ])
      assert.ok(run.stderr.includes(attempt), `${attempt} in:\n${run.stderr}`)
  })

  it('catches a Node process the run starts, which inherits the check', () => {
    const run = runChecked(`
      import { spawnSync } from 'node:child_process'
      spawnSync('node', ['-e', "fetch('http://meshpanel.example.com/').catch(() => {})"], { env: process.env })
    `)
    assert.equal(run.status, 1, run.stderr)
    assert.match(run.stderr, /"target":"meshpanel\.example\.com:80"/)
  })

  it('lets loopback through: localhost, 127.0.0.1 and ::1, and the lookup of an address written out', () => {
    const run = runChecked(`
      import dns from 'node:dns'
      import { createServer } from 'node:http'
      await dns.promises.lookup('192.0.2.1')
      const server = createServer((_, res) => res.end('ok')).listen(0, '::')
      await new Promise((resolve) => server.on('listening', resolve))
      const { port } = server.address()
      for (const host of ['localhost', '127.0.0.1', '[::1]']) await (await fetch('http://' + host + ':' + port)).text()
      server.close()
    `)
    assert.equal(run.status, 0, run.stderr)
    assert.equal(run.stderr, '')
  })
})
