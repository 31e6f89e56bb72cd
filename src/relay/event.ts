import * as v from 'valibot'

// Plausible's own limits (plausible/analytics Ingestion.Request and Plausible.Props): beyond them Plausible
// answers 400, so the relay refuses first and never forwards an event Plausible would reject.
const MAX_NAME_CHARS = 120
const MAX_URL_BYTES = 2000
const MAX_PROPS = 30
const MAX_PROP_KEY_BYTES = 300
const MAX_PROP_VALUE_BYTES = 2000

const encoder = new TextEncoder()
/** Whether `text` takes at most `max` bytes in UTF-8 (at most 3 per UTF-16 unit): encodes only when unsure. */
const fitsInBytes = (text: string, max: number): boolean =>
  text.length * 3 <= max || (text.length <= max && encoder.encode(text).length <= max)

const NameSchema = v.pipe(
  v.string('a string'),
  v.trim(),
  v.minLength(1, 'a non-empty event name'),
  v.maxLength(MAX_NAME_CHARS, `at most ${MAX_NAME_CHARS} characters`),
)
const UrlSchema = v.pipe(
  v.string('a string'),
  v.check((url) => fitsInBytes(url, MAX_URL_BYTES), `at most ${MAX_URL_BYTES} bytes`),
  v.check((url) => /^https?:$/.test(URL.parse(url)?.protocol ?? ''), 'an absolute http(s) URL'),
)
const PropValueSchema = v.union([v.string(), v.number(), v.boolean()], 'a string, number or boolean')
const PropsObjectSchema = v.pipe(
  v.record(v.string(), PropValueSchema, 'an object of scalar values'),
  v.check((props) => Object.keys(props).length <= MAX_PROPS, `at most ${MAX_PROPS} properties`),
  v.check(
    (props) => Object.keys(props).every((key) => fitsInBytes(key, MAX_PROP_KEY_BYTES)),
    `keys of at most ${MAX_PROP_KEY_BYTES} bytes`,
  ),
  v.check(
    (props) => Object.values(props).every((value) => fitsInBytes(String(value), MAX_PROP_VALUE_BYTES)),
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

/** The Events API's long form; plausible-tracker's short keys are renamed to these before validation. */
const BrowserEventSchema = v.object({
  name: NameSchema,
  url: UrlSchema,
  domain: v.string('a string'),
  referrer: v.optional(v.nullable(v.string('a string or null'))),
  props: v.optional(PropsSchema),
})

const LONG_KEYS: Readonly<Record<string, string>> = {
  n: 'name',
  u: 'url',
  d: 'domain',
  r: 'referrer',
  p: 'props',
}
const SHORT_KEYS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(LONG_KEYS).map(([a, b]) => [b, a]),
)

/** The short-form keys renamed; other keys are left out, as validation would drop them anyway. */
function withLongKeys(short: Record<string, unknown>): Record<string, unknown> {
  const long: Record<string, unknown> = {}
  for (const [shortKey, longKey] of Object.entries(LONG_KEYS)) {
    if (Object.hasOwn(short, shortKey)) long[longKey] = short[shortKey]
  }
  return long
}

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
 * Parses a raw body whatever its content type (plausible-tracker sends JSON as text/plain), in the short form
 * (`n`, `u`, `d`, `r`, `p`) or the long one. Other keys (`w`, `h`, `i`, `v`...) are ignored and never forwarded.
 * Problems name the field as the client wrote it.
 * @example parseBrowserEvent('{"n":"pageview","u":"https://x.example/a","d":"x.example"}')
 */
export function parseBrowserEvent(body: string): ParsedEvent {
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch {
    return { ok: false, field: 'body', problem: 'must be a JSON object' }
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { ok: false, field: 'body', problem: 'must be a JSON object' }
  }
  const short = 'n' in json && !('name' in json)
  const event = short ? withLongKeys(json as Record<string, unknown>) : json
  const result = v.safeParse(BrowserEventSchema, event)
  if (result.success) {
    const { referrer = null, props = {}, ...rest } = result.output
    return { ok: true, event: { ...rest, referrer, props } }
  }
  const [issue] = result.issues
  const path = v.getDotPath(issue) ?? ''
  const [key = '', ...inner] = path.split('.')
  const field = key === '' ? 'body' : [short ? (SHORT_KEYS[key] ?? key) : key, ...inner].join('.')
  return { ok: false, field, problem: `must be ${issue.message}` }
}
