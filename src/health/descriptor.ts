import type { ApiVersion } from '../actuator/media-type.ts'
import type { HealthNode } from './composite.ts'

export interface DescriptorOptions {
  readonly version: ApiVersion
  /** Whether this caller may see components and details; otherwise the status alone. */
  readonly showDetails: boolean
  /** The health groups, listed by the system health (Spring's `SystemHealth`) whether details show or not. */
  readonly groups?: readonly string[]
}

/**
 * The JSON Spring Boot writes for a health node in an API version: v3 nests a composite's children under
 * `components`, v2 under `details` (`CompositeHealth`); `groups` follows, sorted, when there are any
 * (`SystemHealth`, a `TreeSet` written only when not empty).
 * @example healthDescriptor(node, { version: 'v3', showDetails: false, groups: ['readiness', 'liveness'] })
 */
export function healthDescriptor(
  node: HealthNode,
  { version, showDetails, groups = [] }: DescriptorOptions,
): Readonly<Record<string, unknown>> {
  const shown = showDetails ? inVersion(node, version) : { status: node.status }
  return groups.length === 0 ? shown : { ...shown, groups: [...groups].sort() }
}

function inVersion(node: HealthNode, version: ApiVersion): Readonly<Record<string, unknown>> {
  const { components, ...rest } = node
  if (components === undefined || version === 'v3') return { ...node }
  const children = Object.entries(components).map(([name, child]) => [name, inVersion(child, version)])
  return { ...rest, details: Object.fromEntries(children) }
}
