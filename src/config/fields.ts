import * as v from 'valibot'

// Each rule is written once and shared by the environment reader and the programmatic options,
// so both reject the same values with the same words. Messages complete "<NAME> must be ...".

export const HostSchema = v.pipe(
  v.string('a host name or IP address'),
  v.nonEmpty('a host name or IP address'),
)

const DOMAIN = 'a site domain as registered in Plausible, like "meshpanel.example.com"'
export const DomainSchema = v.pipe(
  v.string(DOMAIN),
  v.regex(/^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i, DOMAIN),
)

const TOKEN = 'at least 16 characters without spaces'
export const ManagementTokenSchema = v.pipe(v.string(TOKEN), v.minLength(16, TOKEN), v.regex(/^\S+$/, TOKEN))

const TRUST_PROXY =
  '"false", the number of trusted proxy hops (1-10), or a comma-separated list of proxy IP addresses or CIDR ranges'
const PROXY_ADDRESS = v.pipe(
  v.string(TRUST_PROXY),
  v.check((text) => isAddressOrRange(text), TRUST_PROXY),
)
export const TrustProxySchema = v.union(
  [
    v.literal(false, TRUST_PROXY),
    v.pipe(
      v.number(TRUST_PROXY),
      v.integer(TRUST_PROXY),
      v.minValue(1, TRUST_PROXY),
      v.maxValue(10, TRUST_PROXY),
    ),
    v.pipe(v.array(PROXY_ADDRESS, TRUST_PROXY), v.nonEmpty(TRUST_PROXY)),
  ],
  TRUST_PROXY,
)
/** Who may name the client address in `X-Forwarded-For`: nobody, a number of proxy hops, or proxy addresses and CIDR ranges. */
export type TrustProxy = false | number | string[]

export const LOG_LEVELS = ['silent', 'error', 'warn', 'info', 'debug'] as const
export const LogLevelSchema = v.picklist(LOG_LEVELS, `one of ${LOG_LEVELS.join(', ')}`)
/** How much the module logs; `silent` logs nothing. */
export type LogLevel = 'silent' | 'error' | 'warn' | 'info' | 'debug'

const PACKAGE_VERSION = 'a version without spaces, like "7.7.7"'
export const PackageVersionSchema = v.pipe(
  v.string(PACKAGE_VERSION),
  v.regex(/^[\w.+-]{1,64}$/, PACKAGE_VERSION),
)

const COMMIT = 'a git commit hash of 7 to 40 hexadecimal characters'
/** Accepts a short or full commit hash and keeps the 10 characters that /version documents. */
export const GitCommitSchema = v.pipe(
  v.string(COMMIT),
  v.regex(/^[0-9a-f]{7,40}$/i, COMMIT),
  v.transform((hash) => hash.slice(0, 10).toLowerCase()),
)

const BRANCH = 'a git branch name (or "HEAD" for a detached checkout)'
export const GitBranchSchema = v.pipe(v.string(BRANCH), v.regex(/^[^\s~^:?*[\\]{1,255}$/, BRANCH))

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/
const IPV6 = /^[0-9a-f:]+(:(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3})?$/i

/** Whether `text` is one IPv4 or IPv6 address. */
export const isIpAddress = (text: string): boolean =>
  IPV4.test(text) || (text.includes(':') && IPV6.test(text) && URL.canParse(`http://[${text}]`))

function isAddressOrRange(text: string): boolean {
  const [address = '', prefix, ...rest] = text.split('/')
  if (rest.length > 0 || !isIpAddress(address)) return false
  const isV4 = IPV4.test(address)
  if (prefix === undefined) return true
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (isV4 ? 32 : 128)
}

/** An integer option within bounds, with the bounds in its message. */
export const integerBetween = (min: number, max: number, unit: string) => {
  const expected = `an integer between ${min} and ${max}${unit === '' ? '' : ` (${unit})`}`
  return v.pipe(v.number(expected), v.integer(expected), v.minValue(min, expected), v.maxValue(max, expected))
}

export const SHOW_DETAILS = ['always', 'when-authorized', 'never'] as const
/** Who sees health components and details. */
export type ShowDetails = 'always' | 'when-authorized' | 'never'
export const ShowDetailsSchema = v.picklist(SHOW_DETAILS, `one of ${SHOW_DETAILS.join(', ')}`)

const COMPONENT_NAME = 'a list of health component names, like "db"'
export const ComponentNamesSchema = v.array(
  v.pipe(v.string(COMPONENT_NAME), v.regex(/^[A-Za-z0-9_-]+$/, COMPONENT_NAME)),
  COMPONENT_NAME,
)

export const NonEmptyTextSchema = (expected: string) => v.pipe(v.string(expected), v.nonEmpty(expected))

export const PortSchema = integerBetween(1, 65535, '')
export const ShutdownTimeoutSchema = integerBetween(0, 600_000, 'milliseconds')

/** Messages for an options object's own issues: a required key left out, a misspelt key, not an object. */
export const objectMessage = (issue: v.BaseIssue<unknown>): string => {
  if (issue.expected === 'never') return 'a known option (check the spelling)'
  return issue.input === undefined ? 'set' : 'an object'
}
