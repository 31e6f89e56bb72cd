import type { Context, MiddlewareHandler } from 'hono'
import { problem } from './problem.ts'

const digest = async (text: string): Promise<Uint8Array> =>
  new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)))

/**
 * Checks `Authorization: Bearer <token>` in constant time: both sides are hashed first, so neither the
 * comparison nor an early length mismatch tells an attacker how much of a guess was right.
 * @example const presentsToken = bearerTokenCheck(token); await presentsToken(c.req.header('authorization'))
 */
export function bearerTokenCheck(token: string): (authorization: string | undefined) => Promise<boolean> {
  const expected = digest(token)
  return async (authorization) => {
    const presented = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization ?? '')?.[1] ?? ''
    const [want, got] = await Promise.all([expected, digest(presented)])
    let difference = presented === '' ? 1 : 0
    for (let index = 0; index < want.length; index++) difference |= (want[index] ?? 0) ^ (got[index] ?? 0)
    return difference === 0
  }
}

/**
 * Whether a request presents the management token (anyone may, when none is configured): the one check every
 * protected endpoint and health's `when-authorized` details share, under this one name.
 */
export type IsManager = (c: Context) => Promise<boolean>

/** The management-token check for `token`: anyone when no token is configured. */
export function managementAccess(token: string | undefined): IsManager {
  if (token === undefined) return async () => true
  const presentsToken = bearerTokenCheck(token)
  return (c) => presentsToken(c.req.header('authorization'))
}

/**
 * Lets a request on only when `isManager` allows it; otherwise 401 problem+json with a Bearer challenge, the same
 * for every endpoint the management token protects.
 * @example app.get('/actuator/prometheus', managerOnly(isManager), scrape)
 */
export function managerOnly(isManager: IsManager): MiddlewareHandler {
  return async (c, next) => {
    if (await isManager(c)) return next()
    return problem(c, 401, 'Unauthorized', 'This endpoint needs Authorization: Bearer <MANAGEMENT_TOKEN>', {
      'www-authenticate': 'Bearer realm="meshstack-telemetry"',
    })
  }
}
