import { type Context, Hono } from 'hono'
import { actuatorJson } from '../actuator/media-type.ts'
import { evaluate, findNode, type HealthTree, statusOnly } from './composite.ts'
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
 * Actuator's JSON. Unknown paths, paths into a leaf, and components hidden from this caller are 404 with no body.
 */
export function healthRoutes({
  root,
  groups,
  mayShowDetails,
  order = DEFAULT_STATUS_ORDER,
  httpMapping = DEFAULT_HTTP_MAPPING,
}: HealthRoutesOptions): Hono {
  const respond = async (c: Context, tree: HealthTree, showDetails: boolean): Promise<Response> => {
    const node = await evaluate(tree, order)
    return actuatorJson(c, showDetails ? node : statusOnly(node), httpStatusOf(node.status, httpMapping))
  }
  const notFound = (c: Context): Response => c.body(null, 404)

  return new Hono()
    .get('/actuator/health', async (c) => respond(c, root, await mayShowDetails(c)))
    .get('/actuator/health/:path{.+}', async (c) => {
      const segments = c.req.param('path').split('/').filter(Boolean)
      const [first = '', ...rest] = segments
      const showDetails = await mayShowDetails(c)
      const group = groups.get(first)
      // A probe group's own status is public, as Kubernetes calls it without credentials; what is inside is not.
      if (group !== undefined && rest.length === 0) return respond(c, group, showDetails)
      if (!showDetails) return notFound(c)
      const node = group === undefined ? findNode(root, segments) : findNode(group, rest)
      return node === undefined ? notFound(c) : respond(c, node, showDetails)
    })
}
