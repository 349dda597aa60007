import { describe, expect, it } from 'vitest';
import { attributePayload, ipv4Attribute } from '../../../src/ike/codec/index.js';
import { CfgType, ModeCfgAttribute } from '../../../src/ike/constants.js';
import { EMPTY_MODE_CFG_CONFIG, answerModeCfgSet, needsModeCfgAddress } from '../../../src/initiator/index.js';
import { YMS_VPN1 } from '../../../src/initiator/profiles/index.js';
import { seedTunnelOf } from './support.js';

describe('profile yms-vpn1 (what Yamaha documents of the router side it is made for)', () => {
  const options = seedTunnelOf('yms-vpn1');

  it('sends message 3 in clear, which the default payload type of Yamaha\'s YMS-VPN1 example requires (RFC 2409 §5.4)', () => {
    expect(options.phase1.message3.encrypt).toBe(false);
  });

  it('takes the pushed address and cannot do without it (§15.38: YMS-VPN1 requires the internal-address notification)', () => {
    const set = attributePayload(CfgType.SET, [ipv4Attribute(ModeCfgAttribute.INTERNAL_IP4_ADDRESS, '10.1.1.110')]);
    const answer = answerModeCfgSet(set, EMPTY_MODE_CFG_CONFIG, options.modeCfg!);
    expect(answer.kind === 'ack' && answer.config.address).toBe('10.1.1.110');
    expect(options.modeCfg?.pull).toBeUndefined();
    expect(needsModeCfgAddress(options)).toBe(true);
  });

  it("offers ESP AES-CBC/SHA first, as the example's `ipsec sa policy 1 1 esp aes-cbc sha-hmac`, with no PFS (`ipsec ike pfs` default off)", () => {
    expect(options.quickMode?.proposals[0]).toEqual({ encryption: 'aes128-cbc', integrity: 'hmac-sha1-96' });
    expect(options.quickMode?.pfsGroup).toBeUndefined();
  });

  it('labels every behaviour nothing public shows as assumed', () => {
    const assumed = YMS_VPN1.behaviours.filter((behaviour) => behaviour.status === 'assumed').map((behaviour) => behaviour.aspect);
    expect(assumed).toEqual(expect.arrayContaining(['XAUTH encoding', 'Vendor IDs', 'NAT-T']));
  });
});
