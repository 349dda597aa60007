import { describe, expect, it } from 'vitest';
import { attributePayload, emptyAttribute, ipv4Attribute, tvAttribute } from '../../../src/ike/codec/index.js';
import { CfgType, ModeCfgAttribute, XauthStatus, XauthType } from '../../../src/ike/constants.js';
import { ZERO_PADDING_OR_NONE } from '../../../src/ike/crypto/index.js';
import { EMPTY_MODE_CFG_CONFIG, answerModeCfgSet, answerXauthRequest, answerXauthStatus } from '../../../src/initiator/index.js';
import { OPENSWAN_2_6_16_XAUTH_MODE_CFG, OPENSWAN_XAUTH } from '../../../src/initiator/profiles/index.js';
import { seedTunnelOf } from './support.js';

const A = ModeCfgAttribute;

describe('profiles openswan-2.6.16 and openswan-2.6.16-xauth-mode-cfg (pluto of the 2.x line)', () => {
  const plain = seedTunnelOf('openswan-2.6.16');
  const full = seedTunnelOf('openswan-2.6.16-xauth-mode-cfg');

  it('encrypts message 3 ("RFC2408 says we must encrypt at this point", aggr_inR1_outI2_tail, quoted in the seed)', () => {
    expect(plain.phase1.message3.encrypt).toBe(true);
    expect(full.phase1.message3.encrypt).toBe(true);
  });

  it('pads with zeros up to the block size only (encrypt_message pad_up)', () => {
    expect(plain.phase1.message3.padding).toEqual(ZERO_PADDING_OR_NONE);
    expect(full.padding).toEqual(ZERO_PADDING_OR_NONE);
  });

  it('offers plain PSK without XAUTH, XAUTHInitPreShared with it (leftxauthclient)', () => {
    expect(plain.phase1.proposals.map((proposal) => proposal.authMethod)).toEqual(['pre-shared-key']);
    expect(plain.xauth).toBeUndefined();
    expect(plain.modeCfg).toBeUndefined();
    expect(full.phase1.proposals.map((proposal) => proposal.authMethod)).toEqual(['xauth-init-pre-shared']);
  });

  it("answers an XAUTH REQUEST as xauth_client_resp: the REQUEST's identifier, XAUTH-TYPE generic repeated", () => {
    const request = attributePayload(CfgType.REQUEST, [tvAttribute(A.XAUTH_TYPE, XauthType.GENERIC), emptyAttribute(A.XAUTH_USER_NAME), emptyAttribute(A.XAUTH_USER_PASSWORD)], 0x1234);
    const answer = answerXauthRequest(request, { userName: 'user1', password: 'password' }, OPENSWAN_XAUTH);
    if (!answer.ok) throw new Error(answer.text);
    expect(answer.reply.identifier).toBe(0x1234);
    expect(answer.reply.attributes[0]).toEqual(tvAttribute(A.XAUTH_TYPE, XauthType.GENERIC));
  });

  it('acknowledges an OK status as xauth_client_ackstatus: XAUTH-STATUS TV 1 with the SET identifier', () => {
    const answer = answerXauthStatus(attributePayload(CfgType.SET, [tvAttribute(A.XAUTH_STATUS, XauthStatus.OK)], 0x77), OPENSWAN_XAUTH);
    if (!answer.ok) throw new Error(answer.text);
    expect(answer.ack.identifier).toBe(0x77);
    expect(answer.ack.attributes).toEqual([tvAttribute(A.XAUTH_STATUS, 1)]);
  });

  it('takes a pushed SET as modecfg_inI2 does: the address installed, the IPv4 attributes ACKed with the identifier', () => {
    const set = attributePayload(CfgType.SET, [ipv4Attribute(A.INTERNAL_IP4_ADDRESS, '10.1.1.110'), ipv4Attribute(A.INTERNAL_IP4_NETMASK, '255.255.255.255')], 9);
    const answer = answerModeCfgSet(set, EMPTY_MODE_CFG_CONFIG, full.modeCfg!);
    if (answer.kind !== 'ack') throw new Error(`expected an ACK, got ${answer.kind}`);
    expect(answer.config.address).toBe('10.1.1.110');
    expect(answer.ack.identifier).toBe(9);
    expect(answer.ack.attributes.map((attribute) => attribute.type)).toEqual([A.INTERNAL_IP4_ADDRESS, A.INTERNAL_IP4_NETMASK]);
  });

  it("ACKs with values as modecfg_resp(..., ISAKMP_CFG_ACK) writes them: ADDRESS = the peer's client (IDcr), NETMASK = 255.255.255.255, DNS left out", () => {
    const set = attributePayload(
      CfgType.SET,
      [ipv4Attribute(A.INTERNAL_IP4_NETMASK, '255.255.255.0'), ipv4Attribute(A.INTERNAL_IP4_ADDRESS, '10.1.1.110'), ipv4Attribute(A.INTERNAL_IP4_DNS, '10.1.1.1')],
      9,
    );
    const answer = answerModeCfgSet(set, EMPTY_MODE_CFG_CONFIG, full.modeCfg!);
    if (answer.kind !== 'ack') throw new Error(`expected an ACK, got ${answer.kind}`);
    expect(full.quickMode?.remoteId).toEqual({ kind: 'ipv4-subnet', address: '10.1.1.0', netmask: '255.255.255.0' });
    expect(answer.ack.attributes).toEqual([ipv4Attribute(A.INTERNAL_IP4_ADDRESS, '10.1.1.0'), ipv4Attribute(A.INTERNAL_IP4_NETMASK, '255.255.255.255')]);
    expect(answer.config).toMatchObject({ address: '10.1.1.110', netmask: '255.255.255.0', dns: ['10.1.1.1'] });
  });

  it('has no behaviour left that the initiator cannot play', () => {
    expect(OPENSWAN_2_6_16_XAUTH_MODE_CFG.unexpressed).toEqual([]);
    expect(OPENSWAN_2_6_16_XAUTH_MODE_CFG.behaviours.find((behaviour) => behaviour.aspect === 'mode-cfg ACK')?.source).toMatch(/modecfg_resp/);
  });

  it('runs Quick Mode with PFS in the Phase 1 group (pfs=yes default), naming the host without mode-cfg and the mode-cfg address with it', () => {
    expect(plain.quickMode?.pfsGroup).toBe(2);
    expect(plain.quickMode?.localId).toEqual({ kind: 'ipv4-address', address: '192.0.2.132' });
    expect(full.quickMode?.localId).toEqual({ kind: 'mode-cfg-address' });
  });
});
