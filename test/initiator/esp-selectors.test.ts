import { describe, expect, it } from 'vitest';
import { buildIcmpEchoRequest } from '../../src/esp/ip/index.js';
import { identityHolds, packetMatchesSelectors, type TrafficSelectors } from '../../src/initiator/esp-selectors.js';

const seedSelectors: TrafficSelectors = {
  local: { kind: 'ipv4-address', address: '10.1.1.110' },
  remote: { kind: 'ipv4-subnet', address: '10.1.1.0', netmask: '255.255.255.0' },
};
const packet = (source: string, destination: string) => buildIcmpEchoRequest({ source, destination, identifier: 1, sequenceNumber: 1, data: Buffer.alloc(0) });

describe('identityHolds', () => {
  it('matches an IPv4 address, subnet and range by value', () => {
    expect(identityHolds({ kind: 'ipv4-address', address: '10.1.1.110' }, '10.1.1.110')).toBe(true);
    expect(identityHolds({ kind: 'ipv4-address', address: '10.1.1.110' }, '10.1.1.111')).toBe(false);
    expect(identityHolds(seedSelectors.remote, '10.1.1.255')).toBe(true);
    expect(identityHolds(seedSelectors.remote, '10.1.2.1')).toBe(false);
    expect(identityHolds({ kind: 'ipv4-subnet', address: '0.0.0.0', netmask: '0.0.0.0' }, '203.0.113.9')).toBe(true);
    expect(identityHolds({ kind: 'ipv4-range', first: '10.1.1.110', last: '10.1.1.112' }, '10.1.1.112')).toBe(true);
    expect(identityHolds({ kind: 'ipv4-range', first: '10.1.1.110', last: '10.1.1.112' }, '10.1.1.113')).toBe(false);
  });

  it('never matches a name ID, or a non-IPv4 address', () => {
    expect(identityHolds({ kind: 'fqdn', name: 'myid' }, '10.1.1.1')).toBe(false);
    expect(identityHolds(seedSelectors.remote, '::1')).toBe(false);
  });
});

describe('packetMatchesSelectors', () => {
  it('reads source as ours outbound and destination as ours inbound', () => {
    expect(packetMatchesSelectors(packet('10.1.1.110', '10.1.1.1'), seedSelectors, 'outbound')).toBe(true);
    expect(packetMatchesSelectors(packet('10.1.1.110', '10.1.1.1'), seedSelectors, 'inbound')).toBe(false);
    expect(packetMatchesSelectors(packet('10.1.1.1', '10.1.1.110'), seedSelectors, 'inbound')).toBe(true);
  });

  it('refuses destinations outside IDcr and sources other than IDci', () => {
    expect(packetMatchesSelectors(packet('10.1.1.110', '8.8.8.8'), seedSelectors, 'outbound')).toBe(false);
    expect(packetMatchesSelectors(packet('10.1.1.111', '10.1.1.1'), seedSelectors, 'outbound')).toBe(false);
  });

  it('matches nothing that is not a valid IPv4 packet', () => {
    expect(packetMatchesSelectors(Buffer.from('6000000000000000', 'hex'), seedSelectors, 'inbound')).toBe(false);
  });
});
