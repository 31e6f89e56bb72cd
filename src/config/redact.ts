/** Renders a rejected value for an error message without ever revealing a secret. */
export function describeValue(value: unknown, secret: 'no' | 'whole' | 'url-password'): string {
  if (value === undefined) return 'nothing'
  if (typeof value !== 'string') return JSON.stringify(value) ?? String(value)
  if (secret === 'whole') return `a value of ${value.length} characters (not shown)`
  return JSON.stringify(secret === 'url-password' ? redactUrlPassword(value) : value)
}

/** Replaces the password of a URL with `***`; a string that is not a URL is hidden as a whole. */
export function redactUrlPassword(url: string): string {
  const credentials = /^([a-z][a-z0-9+.-]*:\/\/[^:@/]*):[^@/]*@/i
  if (credentials.test(url)) return url.replace(credentials, '$1:***@')
  return url.includes('@') ? '(not shown: it may contain a password)' : url
}
