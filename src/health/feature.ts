import { ConfigError } from '../config/config-error.ts'
import type { Feature } from '../feature.ts'
import type { IsManager } from '../http/bearer.ts'
import type { Lifecycle } from '../lifecycle.ts'
import type { Logger } from '../logging/logger.ts'
import type { Registry } from '../metrics/registry.ts'
import type { DatabaseClient } from '../runtime/database.ts'
import type { SystemProbe } from '../runtime/system-probe.ts'
import { buildHealthTree } from './composite.ts'
import { probeGroups } from './groups.ts'
import type { HealthContributors } from './health.ts'
import { diskSpaceIndicator } from './indicators/disk-space.ts'
import { mariadbIndicator } from './indicators/mariadb.ts'
import { pingIndicator } from './indicators/ping.ts'
import { healthMetrics } from './metrics.ts'
import type { HealthSettings } from './options.ts'
import { healthRoutes } from './routes.ts'

export interface HealthFeatureDependencies {
  readonly settings: HealthSettings
  /** The database and the query its component runs; without it there is no `db` component. */
  readonly database: { readonly client: DatabaseClient; readonly validationQuery: string } | undefined
  /** Without it (edge runtimes) there is no disk to report: the component is absent, not zero. */
  readonly system: SystemProbe | undefined
  /** Readiness follows its state. */
  readonly lifecycle: Lifecycle
  /** Whether a request presents the management token (for `showDetails: 'when-authorized'`). */
  readonly isManager: IsManager
  /** Components other features contribute (the push's `remoteWrite`); readiness includes them only when told. */
  readonly components?: HealthContributors | undefined
  /** Where `meshstack_health_status` is declared: every component's status at each scrape. */
  readonly registry: Registry
  readonly logger: Logger
}

/**
 * `/actuator/health` with the built-in and custom indicators, the probe groups and the visibility rule.
 * @example app.route('/', healthFeature({ settings, database, system, lifecycle, isManager, registry, logger }).routes)
 */
export function healthFeature({
  settings,
  database,
  system,
  lifecycle,
  isManager,
  components,
  registry,
  logger,
}: HealthFeatureDependencies): Feature {
  const contributors: HealthContributors = {
    ping: pingIndicator(),
    ...(system && {
      diskSpace: diskSpaceIndicator(system, settings.diskSpace.path, settings.diskSpace.thresholdBytes),
    }),
    ...(database && { db: mariadbIndicator(database.client, database.validationQuery) }),
    ...components,
    ...settings.indicators,
  }
  const root = buildHealthTree(contributors, settings, logger)
  const readinessIncludes = settings.readinessIncludes ?? (database ? ['db'] : [])
  const unknown = readinessIncludes.filter((name) => !(name in contributors))
  if (unknown.length > 0) {
    throw new ConfigError('create the telemetry app', [
      {
        name: 'health.readinessIncludes',
        expected: `names of health components (${Object.keys(contributors).sort().join(', ')})`,
        received: JSON.stringify(unknown),
      },
    ])
  }
  healthMetrics(registry, root)
  const mayShowDetails =
    settings.showDetails === 'when-authorized' ? isManager : () => settings.showDetails === 'always'
  return {
    routes: healthRoutes({ root, groups: probeGroups(root, lifecycle, readinessIncludes), mayShowDetails }),
  }
}
