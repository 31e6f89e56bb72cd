import { type Context, Hono } from 'hono'
import type { ApiVersion } from '../actuator/media-type.ts'
import { actuatorOperation } from '../actuator/operation.ts'
import { evaluate, findNode, type HealthNode, type HealthTree } from './composite.ts'
import { healthDescriptor } from './descriptor.ts'
import { DEFAULT_HTTP_MAPPING, DEFAULT_STATUS_ORDER, httpStatusOf, type Status } from './status.ts'

export interface HealthRoutesOptions {
  readonly root: HealthTree & { kind: 'composite' }
  readonly groups: ReadonlyMap<string, HealthTree>
  /** Whether this request may see components and details; statuses are evaluated either way. */
  readonly mayShowDetails: (c: Context) => Promise<boolean>
  readonly order?: readonly Status[]
  readonly httpMapping?: Readonly<Record<string, number>>
}

/**
 * `/actuator/health`, `/actuator/health/<group>` and `/actuator/health/<component>[/<child>...]`, in Spring Boot
 * Actuator's JSON, v3 or v2 as negotiated. Unknown paths, paths into a leaf, and components hidden from this caller
 * are 404 with no body.
 */
export function healthRoutes({
  root,
  groups,
  mayShowDetails,
  order = DEFAULT_STATUS_ORDER,
  httpMapping = DEFAULT_HTTP_MAPPING,
}: HealthRoutesOptions): Hono {
  const groupNames = [...groups.keys()]
  // Answers rendered from each evaluated node, which stays the same object while its checks answer from their
  // cache: a cached health answer is looked up, not rebuilt (at most 8 views of a node; nodes are weakly held).
  const rendered = new WeakMap<HealthNode, Map<string, { body: unknown; status: number }>>()
  const respond = async (tree: HealthTree, version: ApiVersion, showDetails: boolean, fromRoot: boolean) => {
    const node = await evaluate(tree, order)
    // Spring lists the groups on every composite it reaches from the root without naming a group
    // (`HealthEndpointSupport`: `isSystemHealth = group == groups.getPrimary() && pathOffset == 0`).
    const listGroups = fromRoot && tree.kind === 'composite'
    const view = `${version} ${showDetails} ${listGroups}`
    let views = rendered.get(node)
    if (views === undefined) {
      views = new Map()
      rendered.set(node, views)
    }
    let answer = views.get(view)
    if (answer === undefined) {
      answer = {
        body: healthDescriptor(node, { version, showDetails, ...(listGroups && { groups: groupNames }) }),
        status: httpStatusOf(node.status, httpMapping),
      }
      views.set(view, answer)
    }
    return answer
  }

  return new Hono()
    .get(
      '/actuator/health',
      actuatorOperation(async (c, version) => respond(root, version, await mayShowDetails(c), true)),
    )
    .get(
      '/actuator/health/:path{.+}',
      actuatorOperation(async (c, version) => {
        const segments = (c.req.param('path') ?? '').split('/').filter(Boolean)
        const [first = '', ...rest] = segments
        const showDetails = await mayShowDetails(c)
        const group = groups.get(first)
        // A probe group's own status is public, as Kubernetes calls it without credentials; what is inside is not.
        if (group !== undefined && rest.length === 0) return respond(group, version, showDetails, false)
        if (!showDetails) return undefined
        const node = group === undefined ? findNode(root, segments) : findNode(group, rest)
        return node && respond(node, version, showDetails, group === undefined)
      }),
    )
}
