// The edge entry has no push: a worker's timers have no request to send on.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ConfigError, createTelemetryApp } from '../src/edge.ts'

describe('the edge entry', () => {
  it('refuses remoteWrite.url, naming the Prometheus agent instead, and never prints the URL', () => {
    assert.throws(
      () =>
        createTelemetryApp({
          remoteWrite: {
            url: 'https://user:s3cret@metrics.example.com/api/v1/write',
            installationId: 'acme-prod',
          },
        }),
      (error: unknown) =>
        error instanceof ConfigError &&
        /remoteWrite\.url must be unset on this runtime, which cannot push in the background: let a Prometheus agent scrape and send instead/.test(
          error.message,
        ) &&
        !error.message.includes('s3cret'),
    )
  })

  it('serves health and version without the push', async () => {
    const telemetry = createTelemetryApp({ version: { package: '7.7.7' }, log: () => {} })
    assert.equal((await telemetry.request('/version')).status, 200)
    assert.equal((await telemetry.request('/actuator/telemetry')).status, 200)
  })
})
