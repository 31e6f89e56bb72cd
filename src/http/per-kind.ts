/** The methods of HTTP (RFC 9110 and PATCH): the ones a request is remembered by. */
export const STANDARD_METHODS: ReadonlySet<string> = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
  'TRACE',
])

/** Something every request of one method, route template and status shares. */
export type PerKind<T> = (method: string, route: string, status: number) => T

/**
 * `compute` remembered per kind of request (method, route template, status), for what every request of a kind
 * shares: its metric series, its log fields. Route templates and statuses are few; methods are whatever clients
 * send, so a method outside `STANDARD_METHODS` is computed again each time rather than remembered.
 * @example const fields = perKind((method, route, status) => JSON.stringify({ method, route, status }))
 */
export function perKind<T>(compute: PerKind<T>): PerKind<T> {
  // Nested maps: a route template and a method are the same string objects request after request, whose hashes
  // the engine keeps, where a key joined per request would be a new string to hash.
  const byRoute = new Map<string, Map<number, Map<string, T>>>()
  return (method, route, status) => {
    if (!STANDARD_METHODS.has(method)) return compute(method, route, status)
    let byStatus = byRoute.get(route)
    if (byStatus === undefined) {
      byStatus = new Map()
      byRoute.set(route, byStatus)
    }
    let byMethod = byStatus.get(status)
    if (byMethod === undefined) {
      byMethod = new Map()
      byStatus.set(status, byMethod)
    }
    let remembered = byMethod.get(method)
    if (remembered === undefined) {
      remembered = compute(method, route, status)
      byMethod.set(method, remembered)
    }
    return remembered
  }
}
