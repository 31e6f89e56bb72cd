import type { MetricDefinition } from '../metrics/definition.ts'
import type { Registry } from '../metrics/registry.ts'
import { evaluate, type HealthTree } from './composite.ts'
import { DEFAULT_STATUS_ORDER, sameStatus } from './status.ts'

const HEALTH_STATUS: MetricDefinition<'component'> = {
  name: 'meshstack_health_status',
  type: 'gauge',
  help: 'Whether the component of /actuator/health is UP (1) or not (0: DOWN, OUT_OF_SERVICE, UNKNOWN or another status), from its cached check.',
  // Names of components: the built-in ones and those the host's code registers, never what a check found.
  labels: { component: 'operational' },
}

/**
 * Health as a gauge read at scrape, as Spring Boot's how-to "Map Health Indicators to Micrometer Metrics" reads
 * `HealthEndpoint`: one series per component of `/actuator/health`. It goes through the guarded checks, so a
 * scrape shares their cache and any check in flight, and runs each at most once per `HEALTH_CACHE_TTL_MS`.
 * @example healthMetrics(registry, root)
 */
export function healthMetrics(registry: Registry, root: HealthTree & { kind: 'composite' }): void {
  registry.collector({
    name: 'health',
    definitions: [HEALTH_STATUS],
    async collect(emit) {
      const { components = {} } = await evaluate(root, DEFAULT_STATUS_ORDER)
      for (const [component, { status }] of Object.entries(components))
        emit(HEALTH_STATUS, { component }, sameStatus(status, 'UP') ? 1 : 0)
    },
  })
}
