import type { MetricDefinition } from './definition.ts'

/**
 * The name Micrometer gives a meter that Prometheus shows under `definition.name`: Micrometer's
 * `PrometheusNamingConvention` run backwards. It turns dots into underscores, appends the base unit (a timer's
 * `seconds`) unless the name ends with it, and the Prometheus client appends `_total` to counters; so `_total` and
 * the unit come off and underscores become dots. A meter whose own name ended with its unit cannot be told apart.
 * @example micrometerName({ name: 'http_server_requests_seconds', type: 'histogram', unit: 'seconds', help }) // 'http.server.requests'
 */
export function micrometerName({ name, type, unit }: MetricDefinition): string {
  const withoutTotal = type === 'counter' ? name.replace(/_total$/, '') : name
  const withoutUnit =
    unit !== undefined && withoutTotal.endsWith(`_${unit}`)
      ? withoutTotal.slice(0, -`_${unit}`.length)
      : withoutTotal
  return withoutUnit.replaceAll('_', '.')
}
