import { describe, expect, it } from 'vitest';
import { attributePayload, encodePayloads, ipv4Attribute } from '../../../src/ike/codec/index.js';
import { CfgType, ModeCfgAttribute } from '../../../src/ike/constants.js';
import { ZERO_PADDING_OR_NONE } from '../../../src/ike/crypto/index.js';
import { EMPTY_MODE_CFG_CONFIG, answerModeCfgSet } from '../../../src/initiator/index.js';
import { LIBRESWAN_4_10, SEED_CLIENT_INPUTS, profileTunnel } from '../../../src/initiator/profiles/index.js';
import { message1Of, seedTunnelOf } from './support.js';

const A = ModeCfgAttribute;

describe('profile libreswan-4.10 (derived from libreswan\'s code and ikev1-notes §5, not a capture)', () => {
  const tunnel = seedTunnelOf('libreswan-4.10');

  it('says what it is derived from, and that it is no capture', () => {
    expect(LIBRESWAN_4_10.client).toMatch(/derived from libreswan's code and ikev1-notes §5's observation, not from a capture/);
    expect(LIBRESWAN_4_10.behaviours.every((behaviour) => behaviour.status !== 'verified')).toBe(true);
  });

  it("offers one XAUTH transform in MODP1536, as Debian's build does (no MODP1024)", () => {
    const offered = message1Of(tunnel);
    expect(offered.transforms).toHaveLength(1);
    expect(offered.transforms[0]).toMatchObject({ group: 5, authMethod: 65001 });
    expect(LIBRESWAN_4_10.cannotOffer?.groups).toEqual([2]);
  });

  it('encrypts message 3 (ikev1_aggr.c) and pads with zeros, none when aligned (ikev1_encrypt_message)', () => {
    expect(tunnel.phase1.message3).toMatchObject({ encrypt: true, padding: ZERO_PADDING_OR_NONE });
    expect(tunnel.padding).toEqual(ZERO_PADDING_OR_NONE);
  });

  it('ACKs a pushed SET with values and 2 zero bytes of padding inside the attribute payload (ikepad)', () => {
    const set = attributePayload(CfgType.SET, [ipv4Attribute(A.INTERNAL_IP4_ADDRESS, '10.1.1.110'), ipv4Attribute(A.INTERNAL_IP4_NETMASK, '255.255.255.255')], 7);
    const answer = answerModeCfgSet(set, EMPTY_MODE_CFG_CONFIG, tunnel.modeCfg!);
    if (answer.kind !== 'ack') throw new Error(`expected an ACK, got ${answer.kind}`);
    expect(answer.config.address).toBe('10.1.1.110');
    expect(answer.ack.identifier).toBe(7);
    expect(answer.ack.attributes.map((attribute) => attribute.type)).toEqual([A.INTERNAL_IP4_ADDRESS, A.UNITY_SPLIT_INCLUDE]);
    expect(answer.ack.attributes[0]).toEqual(ipv4Attribute(A.INTERNAL_IP4_ADDRESS, '10.1.1.0'));
    expect(answer.ack.padding).toEqual(Buffer.alloc(2));
    // On the wire: 4 + 4 + 8 + 18 bytes of attributes and headers, padded to 36.
    expect(encodePayloads([answer.ack])).toHaveLength(36);
  });

  it('runs Quick Mode with PFS in its Phase 1 group, and a Phase 1 override moves the PFS group with it (pfs=yes)', () => {
    expect(tunnel.quickMode?.pfsGroup).toBe(5);
    const built = profileTunnel(LIBRESWAN_4_10, SEED_CLIENT_INPUTS, { ike: { encryption: '3des-cbc', hash: 'sha1', group: 2 } });
    if (!built.ok) throw new Error(built.text);
    expect(built.options.phase1.proposals[0]!.group).toBe(2);
    expect(built.options.quickMode?.pfsGroup).toBe(2);
  });
});
