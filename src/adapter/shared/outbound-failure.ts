import { OutboundHttpError } from '../../runtime/http-client.ts'
import { runtimeWords } from './runtime-words.ts'

// Each runtime words a failed request differently (undici puts the code on `cause`, Bun on the error, Deno only in
// the message), and their messages name the URL. The port's errors say what happened in fixed words plus a code.
const REFUSED = /ECONNREFUSED|ConnectionRefused|connection refused/i
const KNOWN: readonly (readonly [RegExp, string])[] = [
  [
    /ENOTFOUND|EAI_AGAIN|getaddrinfo|dns error|failed to lookup|DNSException/i,
    'the host name does not resolve',
  ],
  [
    /certificate|CERT_|self[- ]signed|TLS|SSL|handshake/i,
    'the TLS handshake failed (is the certificate trusted?)',
  ],
  [/proxy|tunnel/i, 'the proxy did not pass the request on'],
  [/ETIMEDOUT|CONNECT_TIMEOUT|timed out/i, 'connecting timed out'],
  [/ECONNRESET|EPIPE|reset|hang up|closed|SOCKET/i, 'the connection ended before the whole answer came'],
]

/** The error and its causes, outermost first. */
function chain(error: unknown): Error[] {
  const errors: Error[] = []
  for (let item = error; item instanceof Error && errors.length < 5; item = item.cause) errors.push(item)
  return errors
}

const codeOf = (error: Error): string | undefined => {
  const code = (error as { code?: unknown }).code
  return typeof code === 'string' && /^\w{1,40}$/.test(code) ? code : undefined
}

/**
 * The port's error for whatever a runtime's client threw: `aborted` when the signal fired, `refused` when the
 * connection was refused, `failed` otherwise.
 * @example throw outboundFailure(error, request.signal)
 */
export function outboundFailure(error: unknown, signal: AbortSignal): OutboundHttpError {
  if (error instanceof OutboundHttpError) return error
  if (signal.aborted) return new OutboundHttpError('aborted', 'no answer before the request was aborted')
  const errors = chain(error)
  const code = errors.map(codeOf).find((found) => found !== undefined)
  const text = errors.map((item) => `${codeOf(item) ?? ''} ${item.message}`).join(' ')
  const suffix = code === undefined ? '' : ` (${code})`
  if (REFUSED.test(text)) return new OutboundHttpError('refused', `the connection was refused${suffix}`)
  const known = KNOWN.find(([pattern]) => pattern.test(text))
  if (known !== undefined) return new OutboundHttpError('failed', `${known[1]}${suffix}`)
  // Unknown words are the runtime's own, what an operator needs to see: the innermost cause is the most precise.
  const cause = errors.at(-1)
  const words = cause === undefined ? '' : `: ${runtimeWords(cause)}`
  return new OutboundHttpError('failed', `the request failed${words}${suffix}`)
}
