import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { describe, it } from 'node:test'
import { renderMetricsDoc } from '../../scripts/metrics-doc.ts'

describe('docs/metrics.md, the published list of metrics transmitted', () => {
  it('is exactly what the code declares (run npm run docs:metrics after changing a metric)', async () => {
    const published = await readFile(new URL('../../docs/metrics.md', import.meta.url), 'utf8')
    assert.equal(published, await renderMetricsDoc())
  })
})
