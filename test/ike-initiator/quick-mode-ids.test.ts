/**
 * Phase 2 IDs from `ipsec ike local id GW IP[/MASK]` and `ipsec ike remote id GW IP[/MASK]`
 * (command reference §15.19/§15.16): type 1 without a mask, type 4 with one, none when unset;
 * what the router's Quick Mode sends from them.
 */
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config/read-config.js';
import { quickModeIds } from '../../src/ike-initiator/quick-mode-initiation.js';
import { policyFromConfig } from '../../src/ike-responder/policy-from-config.js';

const gatewayOf = (lines: readonly string[]) => {
  const read = readConfig(['tunnel select 1', ' ipsec tunnel 101', '  ipsec sa policy 101 1 esp 3des-cbc sha-hmac', '  ipsec ike remote address 1 127.0.0.3', ...lines.map((line) => `  ${line}`), ' tunnel enable 1'].join('\n'));
  expect(read.problems).toEqual([]);
  return policyFromConfig(read.model).gateways[0]!;
};
const ADDRESSES = { local: '127.0.0.2', peer: '127.0.0.3' };

describe('Phase 2 IDs from the config', () => {
  it('with a mask: ID type 4 (IPV4_ADDR_SUBNET); without: type 1 (IPV4_ADDR)', () => {
    const gateway = gatewayOf(['ipsec ike local id 1 192.168.1.0/24', 'ipsec ike remote id 1 192.168.2.10']);
    expect(gateway.phase2Ids).toEqual({
      local: { kind: 'ipv4-subnet', address: '192.168.1.0', netmask: '255.255.255.0' },
      remote: { kind: 'ipv4-address', address: '192.168.2.10' },
    });
    expect(quickModeIds(gateway, ADDRESSES)).toEqual({ localId: gateway.phase2Ids!.local, remoteId: gateway.phase2Ids!.remote });
  });

  it('neither set: no IDs in Phase 2', () => {
    const gateway = gatewayOf([]);
    expect(gateway.phase2Ids).toBeUndefined();
    expect(quickModeIds(gateway, ADDRESSES)).toBeUndefined();
  });

  it('only one set: the other is the gateway address, type 1 (IDs go as a pair; assumed)', () => {
    expect(quickModeIds(gatewayOf(['ipsec ike local id 1 192.168.1.0/24']), ADDRESSES)).toEqual({
      localId: { kind: 'ipv4-subnet', address: '192.168.1.0', netmask: '255.255.255.0' },
      remoteId: { kind: 'ipv4-address', address: '127.0.0.3' },
    });
    expect(quickModeIds(gatewayOf(['ipsec ike remote id 1 192.168.2.0/255.255.255.0']), ADDRESSES)).toEqual({
      localId: { kind: 'ipv4-address', address: '127.0.0.2' },
      remoteId: { kind: 'ipv4-subnet', address: '192.168.2.0', netmask: '255.255.255.0' },
    });
  });
});
