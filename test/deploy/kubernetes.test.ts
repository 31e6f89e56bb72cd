// The Kubernetes examples under deploy/kubernetes: they parse, and what they tell Kubernetes (probe paths, port,
// grace period, the scrape's path and token) agrees with what the module does.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { parseAllDocuments } from 'yaml'
import { createTelemetryApp } from '../../src/mod.ts'
import { VARIABLES } from '../../src/standalone/variables.ts'
import { PROJECT_ROOT } from '../helpers/project.ts'

type Manifest = { kind: string; spec: Record<string, unknown> } & Record<string, unknown>
const manifests = (file: string): Manifest[] =>
  parseAllDocuments(readFileSync(`${PROJECT_ROOT}deploy/kubernetes/${file}`, 'utf8')).map((document) => {
    assert.deepEqual(document.errors, [], `${file} parses`)
    return document.toJS() as Manifest
  })
const ofKind = (list: Manifest[], kind: string) => list.find((manifest) => manifest.kind === kind) as Manifest

const [deployment, service] = ['Deployment', 'Service'].map((kind) =>
  ofKind(manifests('deployment.yaml'), kind),
)
const serviceMonitor = ofKind(manifests('servicemonitor.yaml'), 'ServiceMonitor')
// biome-ignore lint/suspicious/noExplicitAny: a parsed manifest, read by paths the assertions name
const pod = (deployment as any).spec.template.spec
const container = pod.containers[0]
const env = (name: string): string | undefined =>
  container.env.find((variable: { name: string }) => variable.name === name)?.value
const defaultOf = (name: string) =>
  Number(VARIABLES.find((variable) => variable.name === name)?.defaultText.replace(/`/g, ''))

describe('the Kubernetes examples', () => {
  it('probe the health groups, which answer without the management token', async () => {
    assert.equal(container.livenessProbe.httpGet.path, '/actuator/health/liveness')
    assert.equal(container.readinessProbe.httpGet.path, '/actuator/health/readiness')
    assert.equal(container.startupProbe.httpGet.path, '/actuator/health/liveness')
    const app = createTelemetryApp({ logLevel: 'silent', managementToken: 'management-token-0123456789' })
    app.lifecycle.ready()
    for (const probe of [container.livenessProbe, container.readinessProbe]) {
      const response = await app.request(probe.httpGet.path)
      assert.equal(response.status, 200, probe.httpGet.path)
    }
    await app.lifecycle.close()
  })

  it('listen where the module listens by default, and name that port for the Service and the scrape', () => {
    assert.equal(container.ports[0].containerPort, defaultOf('PORT'))
    assert.equal(Number(env('PORT')), defaultOf('PORT'))
    // biome-ignore lint/suspicious/noExplicitAny: as above
    const servicePort = (service as any).spec.ports[0]
    assert.equal(servicePort.targetPort, container.ports[0].name)
    // biome-ignore lint/suspicious/noExplicitAny: as above
    const [endpoint] = (serviceMonitor as any).spec.endpoints
    assert.equal(endpoint.port, servicePort.name)
    assert.equal(endpoint.path, '/actuator/prometheus')
  })

  it('give the pod longer to stop than the module takes: the shutdown delay plus its timeout', () => {
    const delayMs = Number(env('SHUTDOWN_DELAY_MS'))
    const timeoutMs = Number(env('SHUTDOWN_TIMEOUT_MS'))
    assert.equal(timeoutMs, defaultOf('SHUTDOWN_TIMEOUT_MS'))
    assert.ok(delayMs > 0, 'a delay, so endpoints drop the pod before it stops serving')
    assert.ok(
      pod.terminationGracePeriodSeconds * 1000 > delayMs + timeoutMs,
      'Kubernetes kills only after the module is done',
    )
  })

  it("keep the push's spool in an emptyDir, which outlives the container's restarts, larger than the spool's bound", () => {
    const dir = env('METRICS_REMOTE_WRITE_SPOOL_DIR')
    const mount = container.volumeMounts.find(
      (candidate: { mountPath: string }) => candidate.mountPath === dir,
    )
    assert.ok(mount, `${dir} is mounted`)
    const volume = pod.volumes.find((candidate: { name: string }) => candidate.name === mount.name)
    assert.ok(volume.emptyDir, 'an emptyDir')
    const [, mebibytes] = /^(\d+)Mi$/.exec(volume.emptyDir.sizeLimit) ?? []
    assert.ok(
      Number(mebibytes) * 1024 * 1024 > defaultOf('METRICS_REMOTE_WRITE_SPOOL_MAX_BYTES') + 1024 * 1024,
    )
    const app = createTelemetryApp({ logLevel: 'silent', remoteWrite: { spoolDir: dir } })
    assert.ok(app, 'the module takes the setting')
  })

  it('scrape with the token the module requires, from the Secret the module reads it from', () => {
    const token = container.env.find((variable: { name: string }) => variable.name === 'MANAGEMENT_TOKEN')
    // biome-ignore lint/suspicious/noExplicitAny: as above
    const { credentials, type } = (serviceMonitor as any).spec.endpoints[0].authorization
    assert.equal(type, 'Bearer')
    assert.deepEqual(credentials, token.valueFrom.secretKeyRef)
  })
})
