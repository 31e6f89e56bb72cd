import * as v from 'valibot'

// The URL settings' rules. Every check is total (it never throws): valibot runs the later checks of a pipe after
// an earlier one failed, and a `new URL()` there would end the process with a TypeError quoting the password.
// Checks are ordered so that the first failing one, the one reported, names the cause rather than its effect.

/** The schemes whose URLs WHATWG's parser ends the host at a `\` too. */
const SPECIAL_SCHEMES = new Set(['http:', 'https:', 'ws:', 'wss:', 'ftp:', 'file:'])

/** The parts of a URL as written, before any parser had it: scheme, authority, and whatever follows it. */
function authorityOf(text: string): { readonly authority: string; readonly rest: string } | undefined {
  const scheme = /^([a-z][a-z0-9+.-]*:)\/\//i.exec(text)
  if (scheme === null) return undefined
  const after = text.slice(scheme[0].length)
  const end = after.search(SPECIAL_SCHEMES.has(scheme[1]?.toLowerCase() ?? '') ? /[/?#\\]/ : /[/?#]/)
  return end === -1
    ? { authority: after, rest: '' }
    : { authority: after.slice(0, end), rest: after.slice(end) }
}

/**
 * Whether a raw `/`, `?`, `#` (or `\`) in the user name or password ended the host early: the `@` that closes the
 * credentials then comes after it. The URL may still parse, to another host (`http://u:12#x@host` is host `u`).
 */
export function credentialsCutShort(text: string): boolean {
  return authorityOf(text)?.rest.includes('@') ?? false
}

/** The user name and password as written, between `scheme://` and the `@` before the host. */
const userinfoOf = (text: string): string | undefined => {
  const authority = authorityOf(text)?.authority ?? ''
  const at = authority.lastIndexOf('@')
  return at === -1 ? undefined : authority.slice(0, at)
}

function parsesAs(text: string, protocols: readonly string[]): boolean {
  const url = URL.parse(text)
  return url !== null && protocols.includes(url.protocol) && url.hostname !== ''
}

/** Whether the user name, password and path decode: drivers decode them and throw on a stray `%`. */
function escapesDecode(text: string): boolean {
  const url = URL.parse(text)
  if (url === null) return false
  try {
    for (const part of [url.username, url.password, url.pathname]) decodeURIComponent(part)
    return true
  } catch {
    return false
  }
}

const hasControlCharacter = (text: string): boolean =>
  Array.from(text).some((character) => {
    const code = character.charCodeAt(0)
    return code < 0x20 || code === 0x7f
  })

const hasCredentials = (text: string): boolean => {
  const url = URL.parse(text)
  return url !== null && (url.username !== '' || url.password !== '')
}

const ESCAPED_CREDENTIALS =
  'whose user name and password write each #, /, ? and \\ as an escape (%23, %2F, %3F, %5C)'
const DECODABLE = 'whose % signs start escapes such as %40 (write a % of the password as %25)'
// WHATWG's parser drops tabs and line breaks anywhere in a URL, so a password holding one would change unseen.
const NO_CONTROLS = 'without control characters such as tabs or line breaks (write them as escapes like %09)'

/**
 * A URL setting of the given schemes, described by `like` (a phrase completing "must be …"). Credentials are
 * either allowed, with every character a password may hold raw or escaped, or refused.
 */
export function urlSchema({
  protocols,
  like,
  credentials,
}: {
  readonly protocols: readonly string[]
  readonly like: string
  readonly credentials: 'allowed' | 'refused'
}) {
  const without = `${like} without a user name or password`
  return v.pipe(
    v.string(like),
    v.check((text) => !hasControlCharacter(text), `${like} ${NO_CONTROLS}`),
    v.check(
      (text) => !credentialsCutShort(text),
      credentials === 'allowed' ? `${like} ${ESCAPED_CREDENTIALS}` : without,
    ),
    v.check((text) => parsesAs(text, protocols), like),
    credentials === 'allowed'
      ? v.check((text) => escapesDecode(text), `${like} ${DECODABLE}`)
      : v.check((text) => !hasCredentials(text), without),
  )
}

const MYSQL_URL = 'a URL like "mysql://user:password@host:3306/database"'
export const MysqlUrlSchema = urlSchema({
  protocols: ['mysql:', 'mariadb:'],
  like: MYSQL_URL,
  credentials: 'allowed',
})

const HTTP_URL = 'an absolute http(s) URL like "https://plausible.example.com"'

/** An http(s) URL, credentials allowed: they become basic authentication and are never printed. */
export const HttpUrlWithCredentialsSchema = urlSchema({
  protocols: ['http:', 'https:'],
  like: HTTP_URL,
  credentials: 'allowed',
})

/** An http(s) URL that carries no user name or password, for servers that need none. */
export const HttpUrlWithoutCredentialsSchema = urlSchema({
  protocols: ['http:', 'https:'],
  like: HTTP_URL,
  credentials: 'refused',
})

// RFC 3986's userinfo: unreserved characters, sub-delims, ":" and escapes. Deno parses a proxy URL as such a URI
// (denoland/deno ext/fetch/proxy.rs) and fails every request through one that holds anything else.
const RFC3986_USERINFO = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:]|%[0-9A-Fa-f]{2})*$/

const PROXY_URL = 'an http(s) proxy URL like "http://proxy.internal:3128"'
/**
 * A forward proxy's URL, as Node (undici), Deno and Bun all read it: Deno parses it itself, more strictly than the
 * URL standard, and takes a user without a password for no proxy at all.
 */
export const ProxyUrlSchema = v.pipe(
  urlSchema({ protocols: ['http:', 'https:'], like: PROXY_URL, credentials: 'allowed' }),
  v.check(
    (text) => RFC3986_USERINFO.test(userinfoOf(text) ?? ''),
    `${PROXY_URL} whose user name and password hold letters, digits and -._~!$&'()*+,;=: as they are and every other character as an escape such as %40 for @ (Deno reads no other)`,
  ),
  v.check((text) => {
    const url = URL.parse(text)
    return url === null || (url.username === '') === (url.password === '')
  }, `${PROXY_URL} with both a user name and a password, or neither (with only one, Node, Deno and Bun each do something else)`),
)

const ORIGIN = 'an origin like "https://panel.example.com": scheme, host and port only'
/** A web page's origin, written as browsers send it in `Origin`. */
export const OriginSchema = v.pipe(
  v.string(ORIGIN),
  v.check((text) => parsesAs(text, ['http:', 'https:']) && URL.parse(text)?.origin === text, ORIGIN),
)
