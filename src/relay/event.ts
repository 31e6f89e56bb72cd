import * as v from 'valibot'

// Plausible's own limits (plausible/analytics Ingestion.Request and Plausible.Props): beyond them Plausible
// answers 400, so the relay refuses first and never forwards an event Plausible would reject.
const MAX_NAME_CHARS = 120
const MAX_URL_BYTES = 2000
const MAX_PROPS = 30
const MAX_PROP_KEY_BYTES = 300
const MAX_PROP_VALUE_BYTES = 2000

const bytes = (text: string): number => new TextEncoder().encode(text).length

const NameSchema = v.pipe(
  v.string('a string'),
  v.trim(),
  v.minLength(1, 'a non-empty event name'),
  v.maxLength(MAX_NAME_CHARS, `at most ${MAX_NAME_CHARS} characters`),
)
const UrlSchema = v.pipe(
  v.string('a string'),
  v.check((url) => bytes(url) <= MAX_URL_BYTES, `at most ${MAX_URL_BYTES} bytes`),
  v.check((url) => URL.canParse(url) && /^https?:$/.test(new URL(url).protocol), 'an absolute http(s) URL'),
)
const PropValueSchema = v.union([v.string(), v.number(), v.boolean()], 'a string, number or boolean')
const PropsObjectSchema = v.pipe(
  v.record(v.string(), PropValueSchema, 'an object of scalar values'),
  v.check((props) => Object.keys(props).length <= MAX_PROPS, `at most ${MAX_PROPS} properties`),
  v.check(
    (props) => Object.keys(props).every((key) => bytes(key) <= MAX_PROP_KEY_BYTES),
    `keys of at most ${MAX_PROP_KEY_BYTES} bytes`,
  ),
  v.check(
    (props) => Object.values(props).every((value) => bytes(String(value)) <= MAX_PROP_VALUE_BYTES),
    `values of at most ${MAX_PROP_VALUE_BYTES} bytes`,
  ),
)
/** plausible-tracker sends props as a JSON string; Plausible's own script sends an object. */
const PropsSchema = v.union(
  [
    PropsObjectSchema,
    v.pipe(v.string(), v.parseJson(undefined, 'a JSON object of scalar values'), PropsObjectSchema),
  ],
  'an object of scalar values (or that object as a JSON string)',
)
const optionalReferrer = v.optional(v.nullable(v.string('a string or null')))

/**
 * An event as the browser sends it: plausible-tracker's short keys (`n`, `u`, `d`, `r`, `p`) or the Events API's
 * long ones. Other keys (`w`, `h`, `i`, `v`...) are ignored and never forwarded.
 */
export const BrowserEventSchema = v.union(
  [
    v.object({
      n: NameSchema,
      u: UrlSchema,
      d: v.string('a string'),
      r: optionalReferrer,
      p: v.optional(PropsSchema),
    }),
    v.object({
      name: NameSchema,
      url: UrlSchema,
      domain: v.string('a string'),
      referrer: optionalReferrer,
      props: v.optional(PropsSchema),
    }),
  ],
  'an event object with n, u and d (or name, url and domain)',
)

/** An event after validation, with one set of keys. */
export interface BrowserEvent {
  readonly name: string
  readonly url: string
  readonly domain: string
  readonly referrer: string | null
  readonly props: Readonly<Record<string, string | number | boolean>>
}

export type ParsedEvent =
  | { readonly ok: true; readonly event: BrowserEvent }
  | { readonly ok: false; readonly field: string; readonly problem: string }

/**
 * Parses a raw body whatever its content type (plausible-tracker sends JSON as text/plain).
 * @example parseBrowserEvent('{"n":"pageview","u":"https://x.example/a","d":"x.example"}')
 */
export function parseBrowserEvent(body: string): ParsedEvent {
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch {
    return { ok: false, field: 'body', problem: 'must be a JSON object' }
  }
  const usesShortKeys = typeof json === 'object' && json !== null && !('name' in json)
  const result = v.safeParse(BrowserEventSchema, json)
  if (!result.success) {
    // Report the issue of the key style the client used, not the union's generic message.
    const issue =
      result.issues[0]?.issues?.find(
        (nested) => (v.getDotPath(nested)?.length ?? 0) > 0 && isOfStyle(nested, usesShortKeys),
      ) ?? result.issues[0]
    const field = (issue && v.getDotPath(issue)) || 'body'
    return { ok: false, field, problem: `must be ${issue?.message ?? 'valid'}` }
  }
  const output = result.output
  return 'n' in output
    ? {
        ok: true,
        event: {
          name: output.n,
          url: output.u,
          domain: output.d,
          referrer: output.r ?? null,
          props: output.p ?? {},
        },
      }
    : {
        ok: true,
        event: {
          name: output.name,
          url: output.url,
          domain: output.domain,
          referrer: output.referrer ?? null,
          props: output.props ?? {},
        },
      }
}

const SHORT_KEYS = new Set(['n', 'u', 'd', 'r', 'p'])
const isOfStyle = (issue: v.BaseIssue<unknown>, short: boolean): boolean =>
  SHORT_KEYS.has(String(v.getDotPath(issue)?.split('.')[0])) === short
