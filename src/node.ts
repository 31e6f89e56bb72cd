// Public API for hosts on node:http that are not Hono apps (Express, Connect, a plain request listener): the module
// mounted into them through @hono/node-server. Hono hosts, Deno and Bun need only the main entry.

/** An Express 5 or Connect middleware: the module's routes, and every request of the host logged and measured. */
export { type NodeMiddleware, telemetryMiddleware } from './adapter/node/express-middleware.ts'
/** What a host's request carries for `routeOf`, and the host's own handler. */
export type { HostRequest } from './adapter/node/host-glue.ts'
/** A node:http request listener: the module's routes, then the host's, every request logged and measured. */
export { type RequestListenerOptions, telemetryRequestListener } from './adapter/node/request-listener.ts'
