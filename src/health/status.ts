/** A health status code: the four built-in ones, or any custom code. */
export type Status = 'UP' | 'DOWN' | 'OUT_OF_SERVICE' | 'UNKNOWN' | (string & {})

/** Most severe first, as Spring Boot's `Status.DEFAULT_ORDER`. */
export const DEFAULT_STATUS_ORDER: readonly Status[] = ['DOWN', 'OUT_OF_SERVICE', 'UP', 'UNKNOWN']

/** DOWN and OUT_OF_SERVICE take a node out of rotation; everything else is 200. */
export const DEFAULT_HTTP_MAPPING: Readonly<Record<string, number>> = { DOWN: 503, OUT_OF_SERVICE: 503 }

/** Codes compare on letters and digits only, case-insensitively: `out-of-service` is `OUT_OF_SERVICE`. */
const normalize = (status: Status): string => status.replace(/[^a-z0-9]/gi, '').toLowerCase()

/**
 * The most severe of `statuses` by `order`; codes not in `order` are ignored, and none known gives UNKNOWN.
 * @example aggregateStatus(['UP', 'DOWN']) // 'DOWN'
 */
export function aggregateStatus(
  statuses: Iterable<Status>,
  order: readonly Status[] = DEFAULT_STATUS_ORDER,
): Status {
  const rank = new Map(order.map((status, index) => [normalize(status), index]))
  let best: { status: Status; rank: number } | undefined
  for (const status of statuses) {
    const statusRank = rank.get(normalize(status))
    if (statusRank !== undefined && (best === undefined || statusRank < best.rank))
      best = { status, rank: statusRank }
  }
  return best?.status ?? 'UNKNOWN'
}

/**
 * Whether two codes name the same status, compared as `aggregateStatus` compares them.
 * @example sameStatus('out-of-service', 'OUT_OF_SERVICE') // true
 */
export const sameStatus = (a: Status, b: Status): boolean => normalize(a) === normalize(b)

/**
 * The HTTP status for a health status. A custom mapping replaces the defaults, as in Spring Boot.
 * @example httpStatusOf('OUT_OF_SERVICE') // 503
 */
export function httpStatusOf(
  status: Status,
  mapping: Readonly<Record<string, number>> = DEFAULT_HTTP_MAPPING,
): number {
  const wanted = normalize(status)
  const match = Object.entries(mapping).find(([code]) => normalize(code) === wanted)
  return match?.[1] ?? 200
}
