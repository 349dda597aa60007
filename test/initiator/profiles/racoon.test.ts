import { describe, expect, it } from 'vitest';
import { attributePayload, ipv4Attribute } from '../../../src/ike/codec/index.js';
import { CfgType, ModeCfgAttribute } from '../../../src/ike/constants.js';
import { EMPTY_MODE_CFG_CONFIG, RACOON_XAUTH, answerModeCfgSet } from '../../../src/initiator/index.js';
import { RACOON_HAND_SET_INNER_ADDRESS } from '../../../src/initiator/profiles/index.js';
import { message1Of, seedTunnelOf } from './support.js';

/** What an RTX pushes after XAUTH: the address and the pool's /32 mask. */
const rtxSet = attributePayload(CfgType.SET, [
  ipv4Attribute(ModeCfgAttribute.INTERNAL_IP4_ADDRESS, '10.1.1.110'),
  ipv4Attribute(ModeCfgAttribute.INTERNAL_IP4_NETMASK, '255.255.255.255'),
]);

describe('profiles racoon-0.7.1 and racoon-0.7.1-mode-cfg (the seed racoon.conf)', () => {
  const handSet = seedTunnelOf('racoon-0.7.1');
  const modeCfg = seedTunnelOf('racoon-0.7.1-mode-cfg');

  it('proposes the racoon.conf proposal: 3DES, SHA1, MODP1024, xauth_psk_client, lifetime 14400 s', () => {
    expect(handSet.phase1.proposals).toEqual([{ encryption: '3des-cbc', hash: 'sha1', group: 2, authMethod: 'xauth-init-pre-shared', lifeSeconds: 14400 }]);
  });

  it('expects the gateway to identify as address 172.16.0.254 (peers_identifier) and sends 16-byte nonces (nonce_size default)', () => {
    expect(handSet.phase1.expectedResponderIdentity).toEqual({ kind: 'ipv4-address', address: '172.16.0.254' });
    expect(message1Of(handSet).nonceLength).toBe(16);
  });

  it('announces XAUTH and Unity for its XAUTH auth method (agg_i1send) and NAT-T (nat_traversal on)', () => {
    const vendorIds = message1Of(handSet).vendorIds;
    expect(vendorIds.slice(0, 2)).toEqual(['XAUTH', 'CISCO_UNITY']);
    expect(vendorIds).toContain('NAT_T_RFC3947');
  });

  it('sends message 3 in clear (agg_i2send sets the E flag only after sending)', () => {
    expect(handSet.phase1.message3.encrypt).toBe(false);
    expect(modeCfg.phase1.message3.encrypt).toBe(false);
  });

  it('answers XAUTH as isakmp_xauth_req/isakmp_xauth_set do', () => {
    expect(handSet.xauth?.behaviour).toBe(RACOON_XAUTH);
  });

  it('treats a pushed SET as isakmp_cfg_set() does in the seed: every attribute "Unexpected", nothing installed, an empty ACK', () => {
    for (const options of [handSet, modeCfg]) {
      const answer = answerModeCfgSet(rtxSet, EMPTY_MODE_CFG_CONFIG, options.modeCfg!);
      if (answer.kind !== 'ack') throw new Error(`expected an ACK, got ${answer.kind}`);
      expect(answer.ignored).toEqual(['INTERNAL-IP4-ADDRESS', 'INTERNAL-IP4-NETMASK']);
      expect(answer.ack.attributes).toEqual([]);
      expect(answer.config.address).toBeUndefined();
    }
  });

  it('asks for its address only with mode_cfg on, after each SET it acknowledged (isakmp_cfg_getconfig)', () => {
    expect(handSet.modeCfg?.pull).toBeUndefined();
    expect(modeCfg.modeCfg?.pull?.when).toBe('after-each-set');
  });

  it('asks Quick Mode for 3DES/HMAC-SHA1 with PFS MODP1024 (sainfo) from the hand-set 192.168.100.30 to 10.1.1.0/24 (spdadd)', () => {
    expect(handSet.quickMode).toMatchObject({
      proposals: [{ encryption: '3des-cbc', integrity: 'hmac-sha1-96' }],
      pfsGroup: 2,
      localId: { kind: 'ipv4-address', address: RACOON_HAND_SET_INNER_ADDRESS },
      remoteId: { kind: 'ipv4-subnet', address: '10.1.1.0', netmask: '255.255.255.0' },
    });
    expect(RACOON_HAND_SET_INNER_ADDRESS).toBe('192.168.100.30');
    expect(modeCfg.quickMode?.localId).toEqual({ kind: 'mode-cfg-address' });
  });
});
