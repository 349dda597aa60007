import { describe, expect, it } from 'vitest';
import { attributePayload, emptyAttribute, ipv4Attribute, tlvAttribute } from '../../src/ike/codec/index.js';
import { CfgType, ModeCfgAttribute, NotifyType } from '../../src/ike/constants.js';
import { ZERO_PADDING_OR_NONE, ZERO_PADDING } from '../../src/ike/crypto/index.js';
import {
  EMPTY_MODE_CFG_CONFIG,
  STRONGSWAN_PULL_MODE_CFG,
  STRONGSWAN_PUSH_MODE_CFG,
  answerModeCfgSet,
  answerTransaction,
  buildInformational,
  formatModeCfgConfig,
  modeCfgRequest,
  openTransaction,
  racoonModeCfg,
  readModeCfgReply,
  sealTransaction,
  vpncModeCfg,
  type IsakmpSa,
} from '../../src/initiator/index.js';
import { loadCapture } from './support/captures.js';

const A = ModeCfgAttribute;
const VPNC_VERSION = 'Cisco Systems VPN Client 0.5.3+git20220927-1:Linux';

function opened(sa: IsakmpSa, bytes: Buffer) {
  const result = openTransaction(sa, bytes);
  if (!result.ok) throw new Error(`${result.failure.kind}: ${result.failure.text}`);
  return result.value;
}

describe('mode-cfg against the captured exchanges', () => {
  it('push: ACKs the pushed address with the very bytes strongSwan (pull = no) sent, and installs it', () => {
    const capture = loadCapture('strongswan-push');
    const set = opened(capture.sa, capture.message(8).bytes);
    const answer = answerModeCfgSet(set.attributes, EMPTY_MODE_CFG_CONFIG, STRONGSWAN_PUSH_MODE_CFG);
    if (answer.kind !== 'ack') throw new Error(answer.kind);
    expect(answer.config).toMatchObject({ address: '10.1.1.110', source: 'set' });
    expect(answerTransaction(set, answer.ack, ZERO_PADDING).bytes).toEqual(capture.message(9).bytes);
  });

  it('pull: sends the REQUEST strongSwan (pull = yes) sent, reads the REPLY, and answers the pushed SET with its empty REPLY', () => {
    const capture = loadCapture('strongswan-pull');
    const requestFrame = capture.message(8);
    const request = sealTransaction(capture.sa, requestFrame.header.messageId, modeCfgRequest(STRONGSWAN_PULL_MODE_CFG.pull!), ZERO_PADDING);
    expect(request.bytes).toEqual(requestFrame.bytes);
    // The REPLY (frame 10) continues the chain of our REQUEST; the SET (frame 9) starts its own.
    const reply = opened(request.sa, capture.message(10).bytes);
    expect(readModeCfgReply(reply.attributes)).toMatchObject({ address: '10.1.1.110', source: 'reply' });
    const set = opened(capture.sa, capture.message(9).bytes);
    const answer = answerModeCfgSet(set.attributes, EMPTY_MODE_CFG_CONFIG, STRONGSWAN_PULL_MODE_CFG);
    if (answer.kind !== 'reply') throw new Error(answer.kind);
    expect(answerTransaction(set, answer.reply, ZERO_PADDING).bytes).toEqual(capture.message(11).bytes);
  });

  it('vpnc: sends the REQUEST vpnc 0.5.3 sent, and refuses the pushed SET with the N(INVALID-MESSAGE-ID) it sent', () => {
    const capture = loadCapture('vpnc-0.5.3');
    const behaviour = vpncModeCfg(VPNC_VERSION, 'vm');
    const requestFrame = capture.message(8);
    const request = sealTransaction(capture.sa, requestFrame.header.messageId, modeCfgRequest(behaviour.pull!), ZERO_PADDING_OR_NONE);
    expect(request.bytes).toEqual(requestFrame.bytes);
    const set = opened(capture.sa, capture.message(9).bytes);
    const answer = answerModeCfgSet(set.attributes, EMPTY_MODE_CFG_CONFIG, behaviour);
    expect(answer).toEqual({ kind: 'reject', notifyType: NotifyType.INVALID_MESSAGE_ID });
    const refusalFrame = capture.message(10);
    // vpnc's notify names no SPI (`phase2_fatal`), unlike the ISAKMP-level notifies that carry the cookies.
    const refusal = buildInformational(capture.sa, [{ kind: 'notify', notifyType: NotifyType.INVALID_MESSAGE_ID, spi: Buffer.alloc(0) }], refusalFrame.header.messageId, ZERO_PADDING_OR_NONE);
    expect(refusal.bytes).toEqual(refusalFrame.bytes);
  });
});

describe('answerModeCfgSet', () => {
  const rtxSet = attributePayload(CfgType.SET, [ipv4Attribute(A.INTERNAL_IP4_ADDRESS, '10.1.1.110'), ipv4Attribute(A.INTERNAL_IP4_NETMASK, '255.255.255.0')], 0x2a);

  it('installs address and netmask and ACKs both types with no value (push, draft-dukes-ike-mode-cfg-02 §3.3)', () => {
    const answer = answerModeCfgSet(rtxSet, EMPTY_MODE_CFG_CONFIG, STRONGSWAN_PUSH_MODE_CFG);
    expect(answer).toEqual({
      kind: 'ack',
      ack: attributePayload(CfgType.ACK, [emptyAttribute(A.INTERNAL_IP4_ADDRESS), emptyAttribute(A.INTERNAL_IP4_NETMASK)], 0x2a),
      config: { address: '10.1.1.110', netmask: '255.255.255.0', dns: [], nbns: [], source: 'set' },
      ignored: [],
    });
  });

  it('ignores every attribute yet sends an empty ACK, as racoon 0.7.1 logged it ("Unexpected SET attribute")', () => {
    const answer = answerModeCfgSet(rtxSet, EMPTY_MODE_CFG_CONFIG, racoonModeCfg({ modeCfg: true, identifier: 5 }));
    expect(answer).toEqual({
      kind: 'ack',
      ack: attributePayload(CfgType.ACK, [], 0x2a),
      config: EMPTY_MODE_CFG_CONFIG,
      ignored: ['INTERNAL-IP4-ADDRESS', 'INTERNAL-IP4-NETMASK'],
    });
  });

  it('ACKs only the attributes it accepts, and collects DNS and NBNS servers', () => {
    const set = attributePayload(CfgType.SET, [
      ipv4Attribute(A.INTERNAL_IP4_ADDRESS, '10.1.1.111'),
      ipv4Attribute(A.INTERNAL_IP4_DNS, '10.1.1.1'),
      ipv4Attribute(A.INTERNAL_IP4_DNS, '10.1.1.2'),
      ipv4Attribute(A.INTERNAL_IP4_NBNS, '10.1.1.3'),
      tlvAttribute(A.INTERNAL_IP4_NETMASK, Buffer.from([255, 255])),
    ]);
    const withoutDns = { ...STRONGSWAN_PUSH_MODE_CFG, acceptedAttributes: [A.INTERNAL_IP4_ADDRESS, A.INTERNAL_IP4_NETMASK, A.INTERNAL_IP4_NBNS] };
    const answer = answerModeCfgSet(set, EMPTY_MODE_CFG_CONFIG, withoutDns);
    if (answer.kind !== 'ack') throw new Error(answer.kind);
    expect(answer.ack.attributes).toEqual([emptyAttribute(A.INTERNAL_IP4_ADDRESS), emptyAttribute(A.INTERNAL_IP4_NBNS)]);
    expect(answer.config).toMatchObject({ address: '10.1.1.111', dns: [], nbns: ['10.1.1.3'] });
    expect(answer.ignored).toEqual(['INTERNAL-IP4-DNS', 'INTERNAL-IP4-DNS', 'INTERNAL-IP4-NETMASK']);
    const all = answerModeCfgSet(set, EMPTY_MODE_CFG_CONFIG, STRONGSWAN_PUSH_MODE_CFG);
    expect(all.kind === 'ack' && formatModeCfgConfig(all.config)).toBe('10.1.1.111 dns 10.1.1.1,10.1.1.2 nbns 10.1.1.3');
  });

  it("writes OpenSWAN's ACK under `openswan-values`: ADDRESS then NETMASK with values (modecfg_resp), others left out", () => {
    const set = attributePayload(
      CfgType.SET,
      [ipv4Attribute(A.INTERNAL_IP4_NETMASK, '255.255.255.0'), ipv4Attribute(A.INTERNAL_IP4_DNS, '10.1.1.1'), ipv4Attribute(A.INTERNAL_IP4_ADDRESS, '10.1.1.110'), ipv4Attribute(A.INTERNAL_IP4_NBNS, '10.1.1.3')],
      0x2b,
    );
    const openswan = { ...STRONGSWAN_PUSH_MODE_CFG, ackAttributes: { kind: 'openswan-values', peerClientAddress: '10.1.1.0' } } as const;
    const answer = answerModeCfgSet(set, EMPTY_MODE_CFG_CONFIG, openswan);
    if (answer.kind !== 'ack') throw new Error(answer.kind);
    expect(answer.ack).toEqual(attributePayload(CfgType.ACK, [ipv4Attribute(A.INTERNAL_IP4_ADDRESS, '10.1.1.0'), ipv4Attribute(A.INTERNAL_IP4_NETMASK, '255.255.255.255')], 0x2b));
    // What it installs does not depend on the form of the ACK.
    const plain = answerModeCfgSet(set, EMPTY_MODE_CFG_CONFIG, STRONGSWAN_PUSH_MODE_CFG);
    expect(plain.kind === 'ack' && plain.config).toEqual(answer.config);
  });

  it('writes 0-length attributes under an explicit `types-only`, as when the knob is absent', () => {
    const explicit = answerModeCfgSet(rtxSet, EMPTY_MODE_CFG_CONFIG, { ...STRONGSWAN_PUSH_MODE_CFG, ackAttributes: { kind: 'types-only' } });
    expect(explicit).toEqual(answerModeCfgSet(rtxSet, EMPTY_MODE_CFG_CONFIG, STRONGSWAN_PUSH_MODE_CFG));
  });

  it('answers with identifier 0 when the behaviour does not echo it', () => {
    const answer = answerModeCfgSet(rtxSet, EMPTY_MODE_CFG_CONFIG, STRONGSWAN_PULL_MODE_CFG);
    expect(answer).toEqual({ kind: 'reply', reply: attributePayload(CfgType.REPLY, [], 0) });
  });
});

describe('modeCfgRequest', () => {
  it('asks racoon\'s list with its drawn identifier, the IPv4 items carrying 4 zero bytes', () => {
    const request = modeCfgRequest(racoonModeCfg({ modeCfg: true, identifier: 0xbeef }).pull!);
    expect(request.identifier).toBe(0xbeef);
    expect(request.attributes.slice(0, 2)).toEqual([tlvAttribute(A.INTERNAL_IP4_ADDRESS, Buffer.alloc(4)), tlvAttribute(A.INTERNAL_IP4_NETMASK, Buffer.alloc(4))]);
    expect(request.attributes.at(-1)).toEqual(emptyAttribute(A.APPLICATION_VERSION));
  });

  it('is absent for racoon with mode_cfg off', () => {
    expect(racoonModeCfg({ modeCfg: false, identifier: 1 }).pull).toBeUndefined();
  });
});
