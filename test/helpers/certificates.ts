// A certificate authority of the test's own and a server certificate it signs for 127.0.0.1, made with openssl:
// Deno refuses a self-signed certificate used as the server's own.
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { skipForMissingTool } from './skip.ts'

/** Each runtime's documented way to trust one more certificate authority. */
export const TRUST_VARIABLE = {
  node: 'NODE_EXTRA_CA_CERTS',
  deno: 'DENO_CERT',
  bun: 'NODE_EXTRA_CA_CERTS',
} as const

/** Why TLS tests cannot run here, or undefined when they can. Under CI a missing openssl is a failure. */
export function opensslUnavailable(): string | undefined {
  if (spawnSync('openssl', ['version']).status === 0) return undefined
  return skipForMissingTool(
    'SKIPPED: no openssl on this machine (apt-get install openssl) to make test certificates',
  )
}

export interface TestCertificates {
  /** The authority's certificate file, for the runtimes' trust variables. */
  readonly caFile: string
  /** The server's key and certificate (PEM), for 127.0.0.1. */
  readonly server: { readonly key: string; readonly cert: string }
  dispose(): void
}

export function makeTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'test-ca-'))
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
  return {
    caFile: join(dir, 'ca.pem'),
    server: {
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  }
}
