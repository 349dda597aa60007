import { describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config/read-config.js';
import { DEFAULT_CONFIG_TEXT } from '../../src/config/default-config.js';
import { DEFAULT_RETRY, initiatingPolicyFromConfig } from '../../src/ike-initiator/initiating-policy.js';
import { branchConfig, hubConfig } from './support/site-to-site-configs.js';

const policyOf = (text: string) => initiatingPolicyFromConfig(readConfig(text).model);
const addresses = { hubAddress: '127.20.15.2', branchAddress: '127.20.15.3' };

describe('which gateways the router can initiate to', () => {
  it('none for `remote address any` (the seed and a hub): the router cannot initiate to anyone (§15.15)', () => {
    expect(policyOf(DEFAULT_CONFIG_TEXT).gateways).toEqual([]);
    expect(policyOf(hubConfig(addresses)).gateways).toEqual([]);
  });

  it('a fixed remote address with `local name`: Aggressive Mode, with auto refresh from `ipsec auto refresh on`', () => {
    const [gateway] = policyOf(branchConfig(addresses)).gateways;
    expect(gateway).toMatchObject({ peerAddress: '127.20.15.2', exchange: { mode: 'aggressive', localName: 'branch1' }, autoRefresh: true, alwaysOn: false, restrictDanglingSa: 'auto', pfs: false, isakmpRekeyPercent: 75, ipsecRekeyPercent: 75 });
  });

  it('without `local name`: Main Mode (the RTX picks the mode from the IDs)', () => {
    const text = branchConfig(addresses).replace('  ipsec ike local name 1 branch1\n', '');
    expect(policyOf(text).gateways[0]?.exchange).toEqual({ mode: 'main' });
  });

  it('global `ipsec auto refresh` off (the default) wins over the per-gateway default on (§15.10)', () => {
    expect(policyOf(branchConfig({ ...addresses, autoRefresh: false })).gateways[0]?.autoRefresh).toBe(false);
  });

  it('no pre-shared key, no key exchange (§15.5); a disabled tunnel neither', () => {
    expect(policyOf(branchConfig(addresses).replace('  ipsec ike pre-shared-key 1 text site-secret\n', '')).gateways).toEqual([]);
    expect(policyOf(branchConfig(addresses).replace(' tunnel enable 1\n', '')).gateways).toEqual([]);
  });

  it('reads lifetimes, rekey, always-on, restrict-dangling-sa, pfs and `ipsec ike retry`', () => {
    const text = branchConfig({
      ...addresses,
      branchExtra: ['ipsec ike duration isakmp-sa 1 600 rekey off', 'ipsec ike duration ipsec-sa 1 300 rekey 90%', 'ipsec ike always-on 1 on', 'ipsec ike restrict-dangling-sa 1 off', 'ipsec ike pfs 1 on'],
    });
    const policy = policyOf(`${text}ipsec ike retry 3 2 1\n`);
    expect(policy.retry).toEqual({ count: 3, intervalSeconds: 2, maxSessions: 1 });
    expect(policy.gateways[0]).toMatchObject({ isakmpRekeyPercent: 'off', ipsecRekeyPercent: 90, alwaysOn: true, restrictDanglingSa: 'off', pfs: true });
    expect(policy.gateways[0]?.gateway).toMatchObject({ isakmpLifetimeSeconds: 600, ipsecLifetimeSeconds: 300 });
    expect(policyOf(text).retry).toEqual(DEFAULT_RETRY);
  });
});
