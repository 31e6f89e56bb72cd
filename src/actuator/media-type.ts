// Content negotiation of Spring Boot Actuator's JSON endpoints, decided the way Spring decides it:
// - what an endpoint produces, and in which order, is `EndpointMediaTypes.DEFAULT` (v3, v2, application/json);
// - the content type is Spring MVC's choice among them: Accept ranges by quality, then specificity, each matched
//   against the produced types in order; nothing acceptable is 406;
// - the JSON shape is `ProducibleOperationArgumentResolver`'s `ApiVersion`: the latest version any Accept range is
//   compatible with (`*/*` and no Accept mean v3), quality ignored, and v3 when none is (`InvocationContext`'s
//   fallback to `ApiVersion.LATEST`, which is why `application/json` gets the v3 shape).

/** Spring Boot Actuator's API versions: v2 nests a composite's children under `details`, v3 under `components`. */
export type ApiVersion = 'v2' | 'v3'

const ACTUATOR_V3_JSON = 'application/vnd.spring-boot.actuator.v3+json'
const ACTUATOR_V2_JSON = 'application/vnd.spring-boot.actuator.v2+json'

/** What every actuator JSON endpoint produces, the default first. */
export const ACTUATOR_PRODUCED = [ACTUATOR_V3_JSON, ACTUATOR_V2_JSON, 'application/json'] as const

type ActuatorContentType = (typeof ACTUATOR_PRODUCED)[number]

/** The outcome of negotiation: the content type to answer with and the JSON shape to answer in. */
export interface ActuatorMedia {
  readonly contentType: ActuatorContentType
  readonly version: ApiVersion
}

interface MediaRange {
  readonly type: string
  readonly subtype: string
  readonly quality: number
}

const ANYTHING: MediaRange = { type: '*', subtype: '*', quality: 1 }
const TOKEN = /^[!#$%&'*+.^_`|~0-9a-z-]+$/

/** The ranges of an Accept header, or undefined when one is malformed (Spring answers that with 406 too). */
function parseAccept(accept: string): MediaRange[] | undefined {
  const ranges: MediaRange[] = []
  for (const part of accept.split(',')) {
    if (part.trim() === '') continue
    const [media = '', ...parameters] = part.split(';').map((piece) => piece.trim().toLowerCase())
    const [type = '', subtype = '', extra] = media.split('/')
    if (extra !== undefined || !TOKEN.test(type) || !TOKEN.test(subtype)) return undefined
    // A wildcard type is legal only in `*/*`.
    if (type === '*' && subtype !== '*') return undefined
    const q = parameters.find((parameter) => /^q\s*=/.test(parameter))?.replace(/^q\s*=\s*/, '')
    const quality = q === undefined ? 1 : Number(q)
    if (q === '' || Number.isNaN(quality) || quality < 0 || quality > 1) return undefined
    ranges.push({ type, subtype, quality })
  }
  return ranges
}

/** Spring's `MimeType.isCompatibleWith`, from the range's side: wildcards, and `*+json` against a `+json` type. */
function compatible(range: MediaRange, produced: string): boolean {
  if (range.type === '*') return true
  const [type = '', subtype = ''] = produced.split('/')
  if (range.type !== type) return false
  if (range.subtype === subtype || range.subtype === '*') return true
  const suffix = /^\*\+(.+)$/.exec(range.subtype)?.[1]
  return suffix !== undefined && (subtype === suffix || subtype.endsWith(`+${suffix}`))
}

/** Concrete ranges before `type/*` before `*\/*`, as Spring sorts equally weighted ranges. */
const specificity = ({ type, subtype }: MediaRange): number => (type === '*' ? 0 : subtype === '*' ? 1 : 2)

/**
 * Negotiates an actuator response from the request's Accept header; undefined means 406 Not Acceptable.
 * A range with `q=0` is refused, as RFC 9110 defines it ("not acceptable"), for both decisions.
 * @example negotiateActuator('application/vnd.spring-boot.actuator.v2+json') // { contentType: '...v2+json', version: 'v2' }
 */
export function negotiateActuator(accept: string | undefined): ActuatorMedia | undefined {
  const parsed = parseAccept(accept ?? '')
  if (parsed === undefined) return undefined
  // No Accept header, or one naming nothing, accepts anything.
  const ranges = parsed.length === 0 ? [ANYTHING] : parsed.filter((range) => range.quality > 0)
  const ordered = ranges
    .map((range, index) => ({ range, index }))
    .sort(
      (a, b) =>
        b.range.quality - a.range.quality || specificity(b.range) - specificity(a.range) || a.index - b.index,
    )
  const version =
    !ranges.some((range) => compatible(range, ACTUATOR_V3_JSON)) &&
    ranges.some((range) => compatible(range, ACTUATOR_V2_JSON))
      ? 'v2'
      : 'v3'
  for (const { range } of ordered) {
    const contentType = ACTUATOR_PRODUCED.find((produced) => compatible(range, produced))
    if (contentType !== undefined) return { contentType, version }
  }
  return undefined
}
