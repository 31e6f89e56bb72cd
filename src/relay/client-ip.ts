import { isIpAddress, type TrustProxy } from '../config/fields.ts'

/** IPv4 clients of a dual-stack socket appear as `::ffff:1.2.3.4`; Plausible wants `1.2.3.4`. */
const normalizeIp = (address: string): string =>
  address.trim().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '')

function ipv4ToNumber(address: string): number | undefined {
  const parts = address.split('.').map(Number)
  if (parts.length !== 4 || parts.some((part) => !Number.isInteger(part) || part < 0 || part > 255))
    return undefined
  return parts.reduce((value, part) => value * 256 + part, 0)
}

/** Whether `address` is `entry` or inside the CIDR range `entry`. IPv6 ranges compare textually by full address. */
function matches(address: string, entry: string): boolean {
  const [network = '', prefix] = entry.split('/')
  if (prefix === undefined) return normalizeIp(network) === address
  const ip = ipv4ToNumber(address)
  const base = ipv4ToNumber(network)
  if (ip === undefined || base === undefined) return false
  const bits = Number(prefix)
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0
  return (ip & mask) >>> 0 === (base & mask) >>> 0
}

/**
 * The client's address. Without trusted proxies it is the socket's; X-Forwarded-For counts only as far as
 * TRUST_PROXY allows, read from the right (the leftmost entries are whatever the client wrote).
 * @example resolveClientIp('10.0.0.5', '203.0.113.9, 10.0.0.7', 2) // '203.0.113.9'
 */
export function resolveClientIp(
  socketAddress: string | undefined,
  forwardedFor: string | undefined,
  trustProxy: TrustProxy,
): string | undefined {
  const socket = socketAddress === undefined ? undefined : normalizeIp(socketAddress)
  if (trustProxy === false || socket === undefined) return validIp(socket)
  const chain = [...(forwardedFor ?? '').split(',').map(normalizeIp).filter(Boolean), socket]
  if (typeof trustProxy === 'number') return validIp(chain[Math.max(chain.length - 1 - trustProxy, 0)])
  let index = chain.length - 1
  while (index > 0 && trustProxy.some((entry) => matches(chain[index] as string, entry))) index--
  return validIp(chain[index])
}

/** A trusted proxy that passes on garbage gives no address rather than a made-up one. */
const validIp = (address: string | undefined): string | undefined =>
  address !== undefined && isIpAddress(address) ? address : undefined

/**
 * Whether the peer is a proxy TRUST_PROXY names, so the headers it sets about the client (host, address) count.
 * @example isTrustedPeer('10.0.0.7', ['10.0.0.0/8']) // true
 */
export function isTrustedPeer(socketAddress: string | undefined, trustProxy: TrustProxy): boolean {
  if (trustProxy === false || socketAddress === undefined) return false
  const socket = normalizeIp(socketAddress)
  return typeof trustProxy === 'number' || trustProxy.some((entry) => matches(socket, entry))
}
