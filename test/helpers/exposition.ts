// Reading samples back from a Prometheus text exposition by name and labels, so specs that count events do not
// depend on the order of labels or on the labels every series carries (`application`).

export interface Sample {
  readonly labels: Readonly<Record<string, string>>
  readonly value: number
}

const SAMPLE = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/
const LABEL = /([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g
const unescapeValue = (value: string): string =>
  value.replace(/\\(.)/g, (_, char: string) => (char === 'n' ? '\n' : char))

/**
 * The samples named `name` whose labels include `where`, in exposition order.
 * @example samplesOf(text, 'meshstack_relay_events_total', { outcome: 'forwarded' })[0]?.value
 */
export function samplesOf(
  text: string,
  name: string,
  where: Readonly<Record<string, string>> = {},
): Sample[] {
  const found: Sample[] = []
  for (const line of text.split('\n')) {
    const match = SAMPLE.exec(line)
    if (match?.[1] !== name) continue
    const labels = Object.fromEntries(
      [...(match[2] ?? '').matchAll(LABEL)].map(([, label = '', value = '']) => [
        label,
        unescapeValue(value),
      ]),
    )
    if (Object.entries(where).every(([label, value]) => labels[label] === value))
      found.push({ labels, value: Number(match[3]) })
  }
  return found
}
