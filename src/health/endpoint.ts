import type { Context, Hono } from 'hono'
import { ConfigError } from '../config/config-error.ts'
import { managementAccess } from '../http/bearer.ts'
import type { Lifecycle } from '../lifecycle.ts'
import type { Logger } from '../logging/logger.ts'
import type { ResolvedOptions } from '../options.ts'
import type { DatabaseClient, SystemProbe } from '../runtime/capabilities.ts'
import { buildHealthTree } from './composite.ts'
import { probeGroups } from './groups.ts'
import type { HealthContributors } from './health.ts'
import { diskSpaceIndicator } from './indicators/disk-space.ts'
import { mariadbIndicator } from './indicators/mariadb.ts'
import { pingIndicator } from './indicators/ping.ts'
import { healthRoutes } from './routes.ts'

export interface HealthEndpointDependencies {
  readonly options: ResolvedOptions
  readonly database: DatabaseClient | undefined
  readonly system: SystemProbe | undefined
  readonly lifecycle: Lifecycle
  readonly logger: Logger
}

/** Wires the built-in and custom indicators, the probe groups and the visibility rule into the health routes. */
export function healthEndpoint({
  options,
  database,
  system,
  lifecycle,
  logger,
}: HealthEndpointDependencies): Hono {
  const { health, managementToken } = options
  const contributors: HealthContributors = {
    ping: pingIndicator(),
    // Without a filesystem (edge runtimes) there is no disk to report: the component is absent, not zero.
    ...(system && {
      diskSpace: diskSpaceIndicator(system, health.diskSpace.path, health.diskSpace.thresholdBytes),
    }),
    ...(database && options.database && { db: mariadbIndicator(database, options.database.validationQuery) }),
    ...health.indicators,
  }
  const root = buildHealthTree(contributors, health, logger)
  const readinessIncludes = health.readinessIncludes ?? (database ? ['db'] : [])
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
  return healthRoutes({
    root,
    groups: probeGroups(root, lifecycle, readinessIncludes),
    mayShowDetails: detailsRule(health.showDetails, managementToken),
  })
}

function detailsRule(
  showDetails: ResolvedOptions['health']['showDetails'],
  managementToken: string | undefined,
): (c: Context) => Promise<boolean> {
  if (showDetails === 'when-authorized') return managementAccess(managementToken)
  const always = showDetails === 'always'
  return async () => always
}
