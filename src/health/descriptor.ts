import type { ApiVersion } from '../actuator/media-type.ts'
import type { HealthNode } from './composite.ts'

export interface DescriptorOptions {
  readonly version: ApiVersion
  /** Whether this caller may see components and details; otherwise the status alone. */
  readonly showDetails: boolean
}

/**
 * The JSON Spring Boot writes for a health node in an API version: v3 nests a composite's children under
 * `components`, v2 under `details` (`CompositeHealth`).
 * @example healthDescriptor(node, { version: 'v2', showDetails: true })
 */
export function healthDescriptor(
  node: HealthNode,
  { version, showDetails }: DescriptorOptions,
): Readonly<Record<string, unknown>> {
  return showDetails ? inVersion(node, version) : { status: node.status }
}

function inVersion(node: HealthNode, version: ApiVersion): Readonly<Record<string, unknown>> {
  const { components, ...rest } = node
  if (components === undefined || version === 'v3') return { ...node }
  const children = Object.entries(components).map(([name, child]) => [name, inVersion(child, version)])
  return { ...rest, details: Object.fromEntries(children) }
}
