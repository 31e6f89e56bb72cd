// Micrometer's names for our Prometheus names. The rule is Micrometer's
// implementations/micrometer-registry-prometheus/src/main/java/io/micrometer/prometheusmetrics/PrometheusNamingConvention.java
// (micrometer-metrics/micrometer) run backwards; the Prometheus names below are those Spring Boot's own
// /actuator/prometheus shows for Micrometer's meters (https://docs.spring.io/spring-boot/3.5.5/api/rest/actuator/prometheus.html
// shows jvm_buffer_count_buffers for jvm.buffer.count, for instance).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { MetricDefinition, MetricType } from '../../src/metrics/definition.ts'
import { micrometerName } from '../../src/metrics/micrometer-name.ts'
import { createTelemetryApp } from '../../src/mod.ts'

const definition = (name: string, type: MetricType, unit?: string): MetricDefinition => ({
  name,
  type,
  help: 'h',
  ...(unit && { unit }),
})

/** PrometheusNamingConvention.name forwards, with the Prometheus client's `_total` on counters. */
const prometheusName = (dotted: string, { type, unit }: MetricDefinition): string => {
  const snake = dotted.replaceAll('.', '_')
  const withUnit = unit !== undefined && !snake.endsWith(`_${unit}`) ? `${snake}_${unit}` : snake
  return type === 'counter' ? `${withUnit}_total` : withUnit
}

describe('Micrometer names from Prometheus names', () => {
  const known: readonly [MetricDefinition, string][] = [
    [definition('http_server_requests_seconds', 'histogram', 'seconds'), 'http.server.requests'],
    [definition('process_cpu_usage', 'gauge'), 'process.cpu.usage'],
    [definition('jvm_memory_max_bytes', 'gauge', 'bytes'), 'jvm.memory.max'],
    [definition('jvm_buffer_count_buffers', 'gauge', 'buffers'), 'jvm.buffer.count'],
    [definition('process_files_open_files', 'gauge', 'files'), 'process.files.open'],
    [definition('process_uptime_seconds', 'gauge', 'seconds'), 'process.uptime'],
    [definition('jvm_gc_memory_allocated_bytes_total', 'counter', 'bytes'), 'jvm.gc.memory.allocated'],
    [definition('hikaricp_connections_timeout_total', 'counter'), 'hikaricp.connections.timeout'],
    [definition('http_server_response_size_bytes', 'histogram', 'bytes'), 'http.server.response.size'],
  ]
  for (const [prometheus, dotted] of known) {
    it(`names ${prometheus.name} ${dotted}`, () => {
      assert.equal(micrometerName(prometheus), dotted)
    })
  }

  it("gives every metric of ours a name that Micrometer's convention turns back into the Prometheus name", async () => {
    const app = createTelemetryApp({
      logLevel: 'silent',
      database: { url: 'mysql://meshstack@localhost:3306/meshstack' },
      plausible: { enabled: true, url: 'https://plausible.example.com', domain: 'meshpanel.example.com' },
      remoteWrite: { url: 'https://metrics.example.com/api/v1/write', installationId: 'example' },
    })
    for (const declared of app.metrics.definitions()) {
      assert.equal(prometheusName(micrometerName(declared), declared), declared.name)
    }
    await app.lifecycle.close()
  })
})
