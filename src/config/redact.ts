/** Renders a rejected value for an error message without ever revealing a secret. */
export function describeValue(value: unknown, secret: 'no' | 'whole' | 'url-password'): string {
  if (value === undefined) return 'nothing'
  if (typeof value !== 'string') return JSON.stringify(value) ?? String(value)
  if (secret === 'whole') return `a value of ${value.length} characters (not shown)`
  return JSON.stringify(secret === 'url-password' ? redactUrlPassword(value) : value)
}

/**
 * Replaces the password of a URL with `***`; a string whose credentials cannot be told apart is hidden as a whole.
 * The credentials end at the last `@`: a password may hold `@` itself, and one holding a raw `/`, `?` or `#` has its
 * `@` past them, where a parser no longer looks. An `@` in a path hides more than the password, never less.
 * @example redactUrlPassword('mysql://root:p@ss@db/x') // 'mysql://root:***@db/x'
 */
export function redactUrlPassword(url: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url)?.[0]
  if (scheme === undefined) return url.includes('@') ? '(not shown: it may contain a password)' : url
  const end = url.lastIndexOf('@')
  if (end < scheme.length) return url
  const userinfo = url.slice(scheme.length, end)
  const colon = userinfo.indexOf(':')
  const user = colon === -1 ? userinfo : `${userinfo.slice(0, colon)}:***`
  return `${scheme}${user}${url.slice(end)}`
}
