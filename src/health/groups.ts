import type { Lifecycle } from '../lifecycle.ts'
import { compositeOf, type HealthTree } from './composite.ts'
import type { Health } from './health.ts'

const UP: Health = { status: 'UP' }
const OUT_OF_SERVICE: Health = { status: 'OUT_OF_SERVICE' }

/**
 * Kubernetes probe groups. Liveness only says the process works, so a database outage never restarts pods;
 * readiness is OUT_OF_SERVICE while starting and draining, and includes `readinessIncludes` (e.g. `db`).
 */
export function probeGroups(
  root: HealthTree & { kind: 'composite' },
  lifecycle: Lifecycle,
  readinessIncludes: readonly string[],
): ReadonlyMap<string, HealthTree> {
  // Not cached: the state is in memory, and readiness must flip at once when draining starts. The same objects each
  // time, so an unchanged group renders from what was rendered before.
  const livenessState: HealthTree = { kind: 'indicator', current: () => UP, check: async () => UP }
  const readiness = () => (lifecycle.state === 'ready' ? UP : OUT_OF_SERVICE)
  const readinessState: HealthTree = { kind: 'indicator', current: readiness, check: async () => readiness() }
  const included = readinessIncludes.flatMap((name) => {
    const child = root.children.get(name)
    return child === undefined ? [] : [[name, child] as const]
  })
  return new Map([
    ['liveness', compositeOf([['livenessState', livenessState]])],
    ['readiness', compositeOf([...included, ['readinessState', readinessState]])],
  ])
}
