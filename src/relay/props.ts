/** A prop value Plausible records (it stores each as text). */
export type PropValue = string | number | boolean

// Plausible's limits (plausible/analytics Plausible.Props, checked in Ingestion.Request.validate_props).
const MAX_PROPS = 30
const MAX_PROP_KEY_BYTES = 300
export const MAX_PROP_VALUE_BYTES = 2000

const encoder = new TextEncoder()
/** Whether `text` takes at most `max` bytes in UTF-8 (at most 3 per UTF-16 unit): encodes only when unsure. */
export const fitsInBytes = (text: string, max: number): boolean =>
  text.length * 3 <= max || (text.length <= max && encoder.encode(text).length <= max)
const compareBytes = (a: string, b: string): number => {
  const [x, y] = [encoder.encode(a), encoder.encode(b)]
  for (let index = 0; index < Math.min(x.length, y.length); index++) {
    if (x[index] !== y[index]) return (x[index] as number) - (y[index] as number)
  }
  return x.length - y.length
}

export type KeptProps =
  | { readonly ok: true; readonly props: Readonly<Record<string, PropValue>> }
  | { readonly ok: false; readonly key: string; readonly problem: string }

/**
 * The props Plausible would record from `raw` (an object, or one as a JSON string, from `p`, `props`, `m` or
 * `meta`): anything else counts as none, null, blank and nested values are dropped, and 30 are kept. Plausible
 * refuses the whole event when a kept key or value is too long, so this names that prop instead.
 * @example keptProps('{"plan":"pro","empty":""}') // { ok: true, props: { plan: 'pro' } }
 */
export function keptProps(raw: unknown): KeptProps {
  const object = typeof raw === 'string' ? parseObject(raw) : raw
  if (typeof object !== 'object' || object === null || Array.isArray(object)) return { ok: true, props: {} }
  let entries = Object.entries(object).filter(
    (entry): entry is [string, PropValue] =>
      ['string', 'number', 'boolean'].includes(typeof entry[1]) &&
      entry[0].trimStart() !== '' &&
      String(entry[1]).trimStart() !== '',
  )
  // Plausible walks its map in key order, prepending, and takes 30: the keys that sort last are kept.
  if (entries.length > MAX_PROPS)
    entries = entries.sort(([a], [b]) => compareBytes(a, b)).slice(entries.length - MAX_PROPS)
  for (const [key, value] of entries) {
    if (!fitsInBytes(key, MAX_PROP_KEY_BYTES))
      return { ok: false, key, problem: `must have a name of at most ${MAX_PROP_KEY_BYTES} bytes` }
    if (!fitsInBytes(String(value), MAX_PROP_VALUE_BYTES))
      return { ok: false, key, problem: `must be at most ${MAX_PROP_VALUE_BYTES} bytes` }
  }
  return { ok: true, props: Object.fromEntries(entries) }
}

function parseObject(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
