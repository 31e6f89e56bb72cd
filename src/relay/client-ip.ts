import ipaddr, { type IPv4, type IPv6 } from 'ipaddr.js'
import { isIpAddress, type TrustProxy } from '../config/fields.ts'

type Address = IPv4 | IPv6
type Range = readonly [network: Address, bits: number]

/** Resolves the client's address from the socket's and the request's X-Forwarded-For header. */
export type ClientIpResolver = (
  socketAddress: string | undefined,
  forwardedFor: string | undefined,
) => string | undefined

/** IPv4 clients of a dual-stack socket appear as `::ffff:1.2.3.4`; Plausible wants `1.2.3.4`. */
const DOTTED_MAPPED = /^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i

/**
 * `text` trimmed and unmapped, when it is one address. ipaddr.js alone would also take legacy forms such as `12345`
 * for `0.0.48.57`; the stricter check keeps those out.
 */
function addressText(text: string): string | undefined {
  const address = text.trim().replace(DOTTED_MAPPED, '')
  return isIpAddress(address) ? address : undefined
}

/** An address checked by `addressText`; an IPv6 address that carries an IPv4 one (`::ffff:a01:203`) is that. */
function parse(address: string): Address {
  if (!address.includes(':')) return ipaddr.IPv4.parse(address)
  const ipv6 = ipaddr.IPv6.parse(address)
  return ipv6.isIPv4MappedAddress() ? ipv6.toIPv4Address() : ipv6
}

/**
 * In one spelling: IPv4 is written one way already (and parsing it would cost more than the rest of this), IPv6 as
 * RFC 5952 writes it.
 */
function spell(text: string | undefined): string | undefined {
  const address = text === undefined ? undefined : addressText(text)
  return address?.includes(':') ? parse(address).toString() : address
}

/**
 * A TRUST_PROXY entry as a range: an address alone is a range of one. An IPv4-mapped range becomes the IPv4 range
 * it covers, since mapped addresses are compared as IPv4.
 */
function parseRange(entry: string): Range {
  const [text = '', prefix] = entry.split('/')
  const network = ipaddr.parse(text)
  if (network instanceof ipaddr.IPv4) return [network, prefix === undefined ? 32 : Number(prefix)]
  const bits = prefix === undefined ? 128 : Number(prefix)
  return network.isIPv4MappedAddress() && bits >= 96 ? [network.toIPv4Address(), bits - 96] : [network, bits]
}

const inRange = (address: Address, [network, bits]: Range): boolean =>
  address.kind() === network.kind() && address.match(network, bits)

/**
 * The client's address, in one spelling (IPv6 as RFC 5952 writes it). Without trusted proxies it is the socket's;
 * X-Forwarded-For counts only as far as TRUST_PROXY allows, read from the right (the leftmost entries are whatever
 * the client wrote). A trusted proxy that passes on garbage gives no address rather than a made-up one.
 * @example createClientIpResolver(['fd00::/8'])('fd00::5', '2001:db8::9, fd00::7') // '2001:db8::9'
 */
export function createClientIpResolver(trustProxy: TrustProxy): ClientIpResolver {
  if (trustProxy === false) return (socketAddress) => spell(socketAddress)
  const chainOf = (socketAddress: string, forwardedFor: string | undefined) => [
    ...(forwardedFor ?? '').split(',').filter((entry) => entry.trim() !== ''),
    socketAddress,
  ]
  if (typeof trustProxy === 'number') {
    return (socketAddress, forwardedFor) => {
      if (socketAddress === undefined) return undefined
      const chain = chainOf(socketAddress, forwardedFor)
      return spell(chain[Math.max(chain.length - 1 - trustProxy, 0)])
    }
  }
  const ranges = trustProxy.map(parseRange)
  return (socketAddress, forwardedFor) => {
    if (socketAddress === undefined) return undefined
    const chain = chainOf(socketAddress, forwardedFor)
    for (let index = chain.length - 1; ; index--) {
      const text = addressText(chain[index] as string)
      if (text === undefined) return undefined
      const address = parse(text)
      if (index === 0 || !ranges.some((range) => inRange(address, range))) return address.toString()
    }
  }
}

/**
 * Whether the peer is a proxy TRUST_PROXY names, so the headers it sets about the client (its address, the host it
 * addressed) count. Ranges are parsed once.
 * @example createTrustedPeerCheck(['10.0.0.0/8'])('10.0.0.7') // true
 */
export function createTrustedPeerCheck(
  trustProxy: TrustProxy,
): (socketAddress: string | undefined) => boolean {
  if (trustProxy === false) return () => false
  if (typeof trustProxy === 'number') return (socketAddress) => socketAddress !== undefined
  const ranges = trustProxy.map(parseRange)
  return (socketAddress) => {
    const text = socketAddress === undefined ? undefined : addressText(socketAddress)
    if (text === undefined) return false
    const address = parse(text)
    return ranges.some((range) => inRange(address, range))
  }
}
