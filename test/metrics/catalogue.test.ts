import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { describe, it } from 'node:test'
import { METRIC_CHANGES } from '../../scripts/metrics-changelog.ts'
import { documentationApp, renderMetricsDoc } from '../../scripts/metrics-doc.ts'

describe('docs/metrics.md, the published list of metrics transmitted', () => {
  it('is exactly what the code declares (run npm run docs:metrics after changing a metric)', async () => {
    const published = await readFile(new URL('../../docs/metrics.md', import.meta.url), 'utf8')
    assert.equal(published, await renderMetricsDoc())
  })

  it('lists every renamed metric in its changes, declared under its new name and no longer under its old one', async () => {
    const app = await documentationApp()
    const declared = new Set(app.metrics.definitions().map(({ name }) => name))
    await app.lifecycle.close()
    const renamed = METRIC_CHANGES.flatMap(({ changes }) =>
      changes.flatMap(({ renamed }) => (renamed ? [renamed] : [])),
    )
    assert.ok(renamed.length >= 3)
    for (const [before, now] of renamed) {
      assert.ok(declared.has(now), `${now} is declared`)
      assert.ok(!declared.has(before), `${before} is not`)
    }
  })
})
