import { describe, expect, it } from 'vitest';
import { IpsecSaTable, type IpsecSaPair } from '../../src/ike-responder/ipsec-sa-table.js';

const keys = (spi: string) => ({ spi: Buffer.from(spi, 'hex'), encryptionKey: Buffer.alloc(24), integrityKey: Buffer.alloc(20) });

function pair(overrides: Partial<IpsecSaPair> = {}): IpsecSaPair {
  return {
    inboundNumber: 2,
    outboundNumber: 3,
    gatewayId: 1,
    tunnelId: 1,
    isakmpSaNumber: 1,
    peer: { address: '192.0.2.132', port: 4500 },
    path: { to: { address: '192.0.2.132', port: 4500 }, from: { address: '192.0.2.254', port: 4500 }, natTraversal: true },
    encryption: '3des-cbc',
    integrity: 'hmac-sha1-96',
    encapsulationMode: 3,
    udpEncapsulated: true,
    inbound: keys('c0000001'),
    outbound: keys('d0000001'),
    lifeSeconds: 1200,
    establishedAt: 1_000,
    expiresAt: 1_201_000,
    ...overrides,
  };
}

describe('the IPsec SA table and its tunnels', () => {
  it('a tunnel comes up with its first pair and goes down with its last', () => {
    const table = new IpsecSaTable();
    const first = pair();
    const second = pair({ inbound: keys('c0000002'), outbound: keys('d0000002'), inboundNumber: 4, outboundNumber: 5 });
    expect(table.add(first, 1_000)).toEqual({ tunnelCameUp: true });
    expect(table.add(second, 2_000)).toEqual({ tunnelCameUp: false });
    expect(table.tunnel(1)).toEqual({ tunnelId: 1, upSince: 1_000, peerAddress: '192.0.2.132' });
    expect(table.remove(first)).toEqual({ tunnelWentDown: false });
    expect(table.remove(second)).toEqual({ tunnelWentDown: true });
    expect(table.tunnelStates()).toEqual([]);
  });

  it('finds a pair by the SPI of a peer\'s Delete (its inbound = our outbound, or ours) and only for that peer endpoint', () => {
    const table = new IpsecSaTable();
    const installed = pair();
    table.add(installed, 1_000);
    const peer = { address: '192.0.2.132', port: 4500 };
    expect(table.findBySpi(Buffer.from('d0000001', 'hex'), peer)).toBe(installed);
    expect(table.findBySpi(Buffer.from('c0000001', 'hex'), peer)).toBe(installed);
    expect(table.findBySpi(Buffer.from('d0000001', 'hex'), { address: '192.0.2.133', port: 4500 })).toBeUndefined();
    // Another client behind the same NAT: same address, another port.
    expect(table.findBySpi(Buffer.from('d0000001', 'hex'), { address: '192.0.2.132', port: 1024 })).toBeUndefined();
    expect(table.hasInboundSpi(Buffer.from('c0000001', 'hex'))).toBe(true);
  });

  it('cuts a lifetime, never lengthens it, and lists what expired', () => {
    const table = new IpsecSaTable();
    const installed = pair();
    table.add(installed, 1_000);
    const cut = table.cutLifetime(installed, 31_000);
    expect(cut.expiresAt).toBe(31_000);
    expect(table.cutLifetime(cut, 99_000_000)).toBe(cut);
    expect(table.earliestExpiry()).toBe(31_000);
    expect(table.expired(30_999)).toEqual([]);
    expect(table.expired(31_000)).toEqual([cut]);
  });
});

describe('the IPsec SA table finds pairs by what the responder asks, in the order they were added', () => {
  const first = pair({ tunnelId: 1, isakmpSaNumber: 1, inboundNumber: 8, outboundNumber: 9, expiresAt: 5_000 });
  const second = pair({ tunnelId: 2, isakmpSaNumber: 1, inboundNumber: 2, outboundNumber: 3, inbound: keys('c0000002'), outbound: keys('d0000002'), expiresAt: 5_000 });
  const third = pair({ tunnelId: 1, isakmpSaNumber: 7, inboundNumber: 4, outboundNumber: 5, inbound: keys('c0000003'), outbound: keys('d0000003'), peer: { address: '198.51.100.7', port: 4500 }, expiresAt: 3_000 });

  function table(): IpsecSaTable {
    const made = new IpsecSaTable();
    for (const added of [first, second, third]) made.add(added, 1_000);
    return made;
  }

  it('by tunnel, by the ISAKMP SA that made them, by peer address and by our inbound SPI', () => {
    const made = table();
    expect(made.onTunnel(1)).toEqual([first, third]);
    expect(made.madeUnder(1)).toEqual([first, second]);
    expect(made.withPeerAddress('198.51.100.7')).toEqual([third]);
    expect(made.findByInboundSpi(Buffer.from('c0000002', 'hex'))).toBe(second);
    expect(made.hasInboundSpi(Buffer.from('d0000002', 'hex'))).toBe(false);
    made.remove(first);
    expect(made.onTunnel(1)).toEqual([third]);
    expect(made.findByInboundSpi(first.inbound.spi)).toBeUndefined();
  });

  it('expiries: the earliest, and those due at once in the order added (not by number)', () => {
    const made = table();
    expect(made.earliestExpiry()).toBe(3_000);
    expect(made.expired(2_999)).toEqual([]);
    expect(made.expired(5_000)).toEqual([first, second, third]);
    const cut = made.cutLifetime(second, 2_000);
    expect(made.earliestExpiry()).toBe(2_000);
    expect(made.expired(2_000)).toEqual([cut]);
    made.remove(cut);
    expect(made.earliestExpiry()).toBe(3_000);
  });
});
