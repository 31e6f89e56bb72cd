// The privacy rule set: what in a URL's path, an allowlisted query value, a hash route, a referrer or a prop value
// must never reach Plausible. docs/relay.md lists the same rules for customers; test/relay/scrubbing.test.ts checks
// them with generated values through the real relay.

/** What a scrubbed value was: an e-mail address, or a credential (a token, key, password or signature). */
export type ScrubKind = 'email' | 'secret'

/** What each kind is replaced with: the event still arrives, and says that something was there. */
export const PLACEHOLDERS: Readonly<Record<ScrubKind, string>> = { email: '[email]', secret: '[secret]' }

/** Told once per value replaced. */
export type Found = (kind: ScrubKind) => void

// Path segments that identify something rather than name a page: UUIDs, long numbers, long hex or random tokens.
// They become `:id`: pages are counted per route, not per object. An identifier is no secret: in a prop it stays.
const IDENTIFIER_SEGMENTS: readonly RegExp[] = [
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  /^\d{3,}$/,
  /^[0-9a-f]{16,}$/i,
  /^(?=.*\d)[A-Za-z0-9_-]{24,}$/,
]
export const IDENTIFIER_PLACEHOLDER = ':id'

/** Whether a decoded path segment is an identifier, sent as `:id`. */
export const isIdentifier = (segment: string): boolean =>
  IDENTIFIER_SEGMENTS.some((pattern) => pattern.test(segment))

// A name that says its value is a credential: `password`, `pw`, `api_token`, `client_secret`, `x-api-key`, `sig`.
const SECRET_NAME_SOURCE = `(?:[A-Za-z0-9]+[_-])*(?:password|passwd|passphrase|pass|pwd|pw|secret|token|apikey|auth|authorization|credentials?|signature|sig)|(?:[A-Za-z0-9]+[_-])+key`
const SECRET_NAME = new RegExp(`^(?:${SECRET_NAME_SOURCE})$`, 'i')

/** Whether a prop or query parameter of this name holds a credential, whatever its value looks like. */
export const isSecretName = (name: string): boolean => SECRET_NAME.test(name)

interface Rule {
  readonly kind: ScrubKind
  /** Global; each pattern starts only where its run of characters starts (a lookbehind), so matching stays linear. */
  readonly pattern: RegExp
  /** Replaces one match (the placeholder by default); returns the match itself to keep it. */
  readonly replace?: (match: string, ...groups: string[]) => string | undefined
}

const isPlaceholder = (text: string): boolean => text === PLACEHOLDERS.email || text === PLACEHOLDERS.secret

// Random-looking: mixed-case letters (base64 of random bytes nearly always is), or letters and digits with no
// word separator. Slugs (`release-notes-2024-…`) and UUIDs, lower- or upper-case with hyphens, are neither.
const looksRandom = (run: string): boolean =>
  (/[a-z]/.test(run) && /[A-Z]/.test(run)) || (/[A-Za-z]/.test(run) && /\d/.test(run) && !/[-_]/.test(run))

// In order: a value one rule replaced is a placeholder the next ones leave alone.
const RULES: readonly Rule[] = [
  {
    // RFC 5322's atext and dots before the `@`, a host name with an alphabetic top-level domain after it, so
    // `hono@4.12.0` and `@scope/package` are no address.
    kind: 'email',
    pattern:
      /(?<![A-Za-z0-9!#$%&'*+/=?^_`{|}~.-])[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}/g,
  },
  {
    // Tokens with a published prefix: AWS access key ids, GitHub's (ghp_, gho_, ghu_, ghs_, ghr_, github_pat_),
    // GitLab's, Slack's, Stripe's, Google API keys, npm's; and JWTs (a base64url JSON header, `eyJ`).
    kind: 'secret',
    pattern:
      /(?<![A-Za-z0-9])(?:(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}|gh[pousr]_[A-Za-z0-9]{8,}|github_pat_[A-Za-z0-9_]{8,}|glpat-[A-Za-z0-9_-]{8,}|xox[abposr]-[A-Za-z0-9-]{8,}|[rsp]k_(?:live|test)_[A-Za-z0-9]{8,}|AIza[A-Za-z0-9_-]{30,}|npm_[A-Za-z0-9]{30,}|eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)/g,
  },
  {
    // `pw=hunter2`, `password: "correct horse"`, `{"client_secret":"…"}`, `Authorization: Bearer …`: the name
    // stays, the value goes.
    kind: 'secret',
    pattern: new RegExp(
      String.raw`(?<![A-Za-z0-9_-])(${SECRET_NAME_SOURCE})(["']?\s*[:=]\s*)((?:(?:bearer|basic)\s+)?(?:"[^"]*"|'[^']*'|[^\s"',;&]+))`,
      'gi',
    ),
    replace: (match, name = '', separator = '', value = '') =>
      isPlaceholder(value) ? match : `${name}${separator}${PLACEHOLDERS.secret}`,
  },
  // Long hex (keys, hashes, session ids) and long base64 or base64url runs that look random (secret keys).
  { kind: 'secret', pattern: /[0-9a-f]{32,}/gi },
  {
    kind: 'secret',
    pattern: /(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{32,}={0,2}/g,
    replace: (match) => (looksRandom(match) ? undefined : match),
  },
]

/**
 * `text` with every e-mail address and secret the rules find replaced by its placeholder, each reported to `found`.
 * @example scrub('mail alice@example.com pw=hunter2', count) // 'mail [email] pw=[secret]'
 */
export function scrub(text: string, found: Found): string {
  // Nearly every value is a plain word or path: one cheap test spares the rules.
  // The shortest shape the rules know is a prefixed token of 12 characters (`ghp_` and 8).
  if (!/[@=:]|[A-Za-z0-9+/_-]{12}/.test(text)) return text
  let result = text
  for (const { kind, pattern, replace } of RULES) {
    result = result.replace(pattern, (match: string, ...rest: unknown[]) => {
      // After the groups come the match's offset and the whole text.
      const replaced = replace?.(match, ...(rest.slice(0, -2) as string[]))
      if (replaced === match) return match
      found(kind)
      return replaced ?? PLACEHOLDERS[kind]
    })
  }
  return result
}
