import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { type FakePlausible, startFakePlausible } from '../helpers/fake-plausible.ts'
import { freePort } from '../helpers/free-port.ts'
import { runDocumentedScript } from '../helpers/project.ts'
import { BROWSER_UA, pageview, postEvent, SITE } from '../helpers/relay-server.ts'
import { RUNTIMES } from '../helpers/runtimes.ts'
import { type ServerProcess, startServer } from '../helpers/server-process.ts'
import { skipForMissingTool } from '../helpers/skip.ts'

// Each runtime's documented way to trust one more certificate authority (here the test's own).
const TRUST_VARIABLE = { node: 'NODE_EXTRA_CA_CERTS', deno: 'DENO_CERT', bun: 'NODE_EXTRA_CA_CERTS' } as const

const skip =
  spawnSync('openssl', ['version']).status === 0
    ? undefined
    : skipForMissingTool(
        'SKIPPED: no openssl on this machine (apt-get install openssl) to make test certificates',
      )

describe('forwarding to Plausible over HTTPS, as a real Plausible is reached', { skip }, () => {
  let dir = ''
  let plausible: FakePlausible
  const servers: ServerProcess[] = []
  const startRelay = async (command: readonly string[], env: Record<string, string> = {}) => {
    const server = await startServer(command, {
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      PLAUSIBLE_ENABLED: 'true',
      PLAUSIBLE_URL: plausible.url,
      PLAUSIBLE_DOMAIN: SITE,
      ...env,
    })
    servers.push(server)
    return server
  }
  const send = (server: ServerProcess, path: string) => postEvent(server.url, pageview(path))

  before(async () => {
    // `npm start` builds first (prestart); do the same so Node runs the current source.
    runDocumentedScript('build')
    dir = mkdtempSync(join(tmpdir(), 'relay-tls-'))
    // A certificate authority and a server certificate it signs: Deno refuses a self-signed certificate used as a
    // server's own.
    const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' })
    const fresh = ['-newkey', 'rsa:2048', '-nodes']
    openssl(
      ...['req', '-x509', ...fresh, '-days', '1'],
      ...['-subj', '/CN=test-ca', '-keyout', 'ca.key', '-out', 'ca.pem'],
    )
    openssl('req', ...fresh, '-subj', '/CN=127.0.0.1', '-keyout', 'key.pem', '-out', 'server.csr')
    writeFileSync(
      join(dir, 'server.ext'),
      'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n',
    )
    openssl(
      ...['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial'],
      ...['-days', '1', '-extfile', 'server.ext', '-out', 'cert.pem'],
    )
    plausible = await startFakePlausible({
      domain: SITE,
      tls: {
        key: readFileSync(join(dir, 'key.pem'), 'utf8'),
        cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
      },
    })
  })
  after(async () => {
    await Promise.all(servers.map((server) => server.stop()))
    await plausible?.stop()
    if (dir !== '') rmSync(dir, { recursive: true, force: true })
  })

  for (const runtime of RUNTIMES) {
    it(`relays a page view over HTTPS on ${runtime.name}, verifying the certificate`, async () => {
      const server = await startRelay(runtime.standalone, {
        [TRUST_VARIABLE[runtime.name]]: join(dir, 'ca.pem'),
      })
      const received = plausible.events.length
      assert.equal((await send(server, `/over-tls-on-${runtime.name}`)).status, 202)
      const event = (await plausible.waitForEvents(received + 1)).at(-1)
      assert.equal(event?.body.url, `https://${SITE}/over-tls-on-${runtime.name}`)
      assert.equal(event?.userAgent, BROWSER_UA)
      assert.deepEqual(event?.violations, [])
    })
  }

  it('sends nothing to a server whose certificate it cannot verify, and counts the event failed', async () => {
    const [node] = RUNTIMES
    const server = await startRelay(node?.standalone ?? [])
    const received = plausible.events.length
    assert.equal((await send(server, '/untrusted')).status, 202)
    const failed = async () =>
      /^meshstack_relay_events_total\{outcome="failed"\} 1$/m.test(
        await (await fetch(`${server.url}/actuator/prometheus`)).text(),
      )
    for (let attempt = 0; attempt < 50 && !(await failed()); attempt++)
      await new Promise((resolve) => setTimeout(resolve, 100))
    assert.ok(await failed(), 'the event is counted as failed')
    assert.equal(plausible.events.length, received)
  })
})
