import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import ipaddr from 'ipaddr.js'
import { isIpAddress, type TrustProxy } from '../../src/config/fields.ts'
import { createClientIpResolver } from '../../src/relay/client-ip.ts'

const resolve = (trustProxy: TrustProxy, socket: string | undefined, forwardedFor?: string) =>
  createClientIpResolver(trustProxy)(socket, forwardedFor)

describe('the client address', () => {
  it('is the socket address without TRUST_PROXY, whatever X-Forwarded-For claims', () => {
    assert.equal(resolve(false, '::ffff:203.0.113.9', '198.51.100.1'), '203.0.113.9')
    assert.equal(resolve(false, '2001:db8::7', '198.51.100.1'), '2001:db8::7')
  })

  it('is read from the right of X-Forwarded-For, as many hops as trusted', () => {
    assert.equal(resolve(1, '10.0.0.2', '198.51.100.66, 203.0.113.9'), '203.0.113.9')
    assert.equal(resolve(2, '10.0.0.2', '198.51.100.66, 203.0.113.9, 10.0.0.1'), '203.0.113.9')
    assert.equal(resolve(3, '10.0.0.2', undefined), '10.0.0.2')
    assert.equal(resolve(2, '::1', '2001:db8::66, 2001:db8:1::9, fd00::1'), '2001:db8:1::9')
  })

  it('skips trusted proxy addresses and ranges from the right, and stops at the first untrusted one', () => {
    const trusted = ['10.0.0.0/8', '192.0.2.7']
    assert.equal(resolve(trusted, '10.0.0.2', 'spoofed, 203.0.113.9, 192.0.2.7'), '203.0.113.9')
    assert.equal(
      resolve(trusted, '198.51.100.5', '203.0.113.9'),
      '198.51.100.5',
      'an untrusted socket is the client',
    )
  })

  it('trusts IPv6 proxies by range and by address, hop after hop', () => {
    const trusted = ['fd00::/8', '::1/128', '2001:db8:ffff::1']
    assert.equal(resolve(trusted, '::1', '2001:db8:1:2::9, fd12:3456::1'), '2001:db8:1:2::9')
    assert.equal(resolve(trusted, 'fd00:aaaa::1', '198.51.100.7, 2001:db8:ffff::1'), '198.51.100.7')
    assert.equal(resolve(trusted, 'fe00::1', '2001:db8:1:2::9'), 'fe00::1', 'fe00::/8 is outside fd00::/8')
    assert.equal(resolve(['2001:db8::/32'], '2001:db9::1', '203.0.113.9'), '2001:db9::1')
    assert.equal(resolve(['2001:db8::/32'], '2001:db8:ffff:ffff::1', '203.0.113.9'), '203.0.113.9')
  })

  it('compares addresses, not their spelling: compressed, expanded, upper case and zero-padded are one address', () => {
    const trusted = ['0:0:0:0:0:0:0:1', 'FD00:0:0:0:0:0:0:7', '2001:DB8::/48']
    assert.equal(resolve(trusted, '::1', '203.0.113.9'), '203.0.113.9')
    assert.equal(resolve(trusted, '0000:0000::0001', '203.0.113.9'), '203.0.113.9')
    assert.equal(resolve(trusted, '::1', '203.0.113.9, fd00::7'), '203.0.113.9')
    assert.equal(resolve(trusted, '::1', '203.0.113.9, 2001:db8:0:ffff::1'), '203.0.113.9')
  })

  it('names the client in one spelling, so Plausible and the rate limit see one visitor', () => {
    assert.equal(resolve(false, '2001:DB8:0:0:0:0:0:0001'), '2001:db8::1')
    assert.equal(resolve(1, '::1', ' 2001:0db8::0:1 '), '2001:db8::1')
  })

  it('treats IPv4-mapped IPv6 addresses as the IPv4 addresses they carry, on either side', () => {
    assert.equal(resolve(['10.0.0.0/8'], '::ffff:10.1.2.3', '203.0.113.9'), '203.0.113.9')
    assert.equal(resolve(['10.0.0.0/8'], '::FFFF:a01:203', '203.0.113.9'), '203.0.113.9')
    assert.equal(resolve(['::ffff:10.0.0.0/104'], '10.1.2.3', '203.0.113.9'), '203.0.113.9')
    assert.equal(resolve(['::ffff:192.0.2.7'], '192.0.2.7', '203.0.113.9'), '203.0.113.9')
    assert.equal(resolve(['::ffff:10.0.0.0/104'], '11.1.2.3', '203.0.113.9'), '11.1.2.3')
    assert.equal(resolve(1, '10.0.0.2', '::ffff:203.0.113.9'), '203.0.113.9')
  })

  it('never matches an IPv4 address against an IPv6 range, or the other way round', () => {
    assert.equal(resolve(['::/0'], '10.0.0.2', '203.0.113.9'), '10.0.0.2')
    assert.equal(resolve(['0.0.0.0/0'], '2001:db8::2', '203.0.113.9'), '2001:db8::2')
  })

  it('gives none when a trusted proxy passes on something that is not an address', () => {
    assert.equal(resolve(1, '10.0.0.2', 'not-an-ip'), undefined)
    assert.equal(resolve(1, '10.0.0.2', '12345'), undefined, 'no legacy shorthand for 0.0.48.57')
    assert.equal(resolve(['::1'], '::1', '2001:db8::1::2'), undefined)
    assert.equal(resolve(false, undefined, '203.0.113.9'), undefined)
  })

  it('spells every IPv6 address one way, however it was written', () => {
    fc.assert(
      fc.property(fc.ipV6(), fc.boolean(), (address, upper) => {
        const expanded = ipaddr.parse(address).toNormalizedString()
        const other = upper ? expanded.toUpperCase() : expanded
        assert.equal(resolve(false, other), resolve(false, address))
        assert.equal(resolve(1, '::1', ` ${other} `), resolve(false, address))
      }),
    )
  })

  it('never throws on what a trusted proxy passes on, and gives an address or none', () => {
    const trusted = ['0.0.0.0/0', '::/0']
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV4Extended(), fc.ipV6(), fc.string({ maxLength: 45 })), (text) => {
        const client = resolve(trusted, '::1', text)
        assert.ok(client === undefined || isIpAddress(client), client)
      }),
    )
  })
})
