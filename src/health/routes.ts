import { type Context, Hono } from 'hono'
import type { ApiVersion } from '../actuator/media-type.ts'
import { actuatorOperation } from '../actuator/operation.ts'
import { whenDone } from '../maybe-async.ts'
import { evaluate, findNode, type HealthNode, type HealthTree } from './composite.ts'
import { healthDescriptor } from './descriptor.ts'
import { DEFAULT_HTTP_MAPPING, DEFAULT_STATUS_ORDER, httpStatusOf, type Status } from './status.ts'

export interface HealthRoutesOptions {
  readonly root: HealthTree & { kind: 'composite' }
  readonly groups: ReadonlyMap<string, HealthTree>
  /** Whether this request may see components and details; statuses are evaluated either way. */
  readonly mayShowDetails: (c: Context) => boolean | Promise<boolean>
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
  const rendered = new WeakMap<HealthNode, ({ body: unknown; status: number } | undefined)[]>()
  const answer = (
    node: HealthNode,
    tree: HealthTree,
    version: ApiVersion,
    showDetails: boolean,
    fromRoot: boolean,
  ) => {
    // Spring lists the groups on every composite it reaches from the root without naming a group
    // (`HealthEndpointSupport`: `isSystemHealth = group == groups.getPrimary() && pathOffset == 0`).
    const listGroups = fromRoot && tree.kind === 'composite'
    // One slot per view: API version, details or not, groups or not.
    const view = (version === 'v3' ? 4 : 0) + (showDetails ? 2 : 0) + (listGroups ? 1 : 0)
    let views = rendered.get(node)
    if (views === undefined) {
      views = []
      rendered.set(node, views)
    }
    let rendering = views[view]
    if (rendering === undefined) {
      rendering = {
        body: healthDescriptor(node, { version, showDetails, ...(listGroups && { groups: groupNames }) }),
        status: httpStatusOf(node.status, httpMapping),
      }
      views[view] = rendering
    }
    return rendering
  }
  // A cached answer is given without a promise on the way: a health probe costs about what a static route does.
  const respond = (tree: HealthTree, version: ApiVersion, showDetails: boolean, fromRoot: boolean) =>
    whenDone(evaluate(tree, order), (node) => answer(node, tree, version, showDetails, fromRoot))

  return new Hono()
    .get(
      '/actuator/health',
      actuatorOperation((c, version) =>
        whenDone(mayShowDetails(c), (showDetails) => respond(root, version, showDetails, true)),
      ),
    )
    .get(
      '/actuator/health/:path{.+}',
      actuatorOperation((c, version) => {
        const segments = (c.req.param('path') ?? '').split('/').filter(Boolean)
        const [first = '', ...rest] = segments
        const group = groups.get(first)
        return whenDone(mayShowDetails(c), (showDetails) => {
          // A probe group's own status is public, as Kubernetes calls it without credentials; what is inside is not.
          if (group !== undefined && rest.length === 0) return respond(group, version, showDetails, false)
          if (!showDetails) return undefined
          const node = group === undefined ? findNode(root, segments) : findNode(group, rest)
          return node && respond(node, version, showDetails, group === undefined)
        })
      }),
    )
}
