import { describe, expect, it } from 'vitest';
import { ExchangeType, NotifyType, PayloadType } from '../../src/ike/constants.js';
import { decodeMessage, encodeMessage, kePayload, noncePayload, type DecodedPayload } from '../../src/ike/codec/index.js';
import { computeNatDiscoveryHash } from '../../src/ike/crypto/index.js';
import { processAggressive2, SEED_PROPOSAL } from '../../src/initiator/index.js';
import { assessAggressive1, refusalNotifyType, respondToAggressive1, RESPONDER_NONCE_LENGTH } from '../../src/ike-responder/aggressive1.js';
import { CLIENT, ROUTER, SEED_LOCAL_ADDRESS, clientMessage1, seedGateway, seededRandomBytes } from './support.js';

const responderCookie = Buffer.from('7d451bbf4ca6d660', 'hex');

function payloadsOf(bytes: Buffer): DecodedPayload[] {
  const decoded = decodeMessage(bytes);
  if (!decoded.ok || decoded.value.kind !== 'cleartext') throw new Error('not a cleartext message');
  return decoded.value.payloads;
}

function withPayloads(payloads: DecodedPayload[]): DecodedPayload[] {
  const bytes = encodeMessage({ initiatorCookie: Buffer.alloc(8, 1), responderCookie: Buffer.alloc(8), exchangeType: ExchangeType.AGGRESSIVE, flags: 0, messageId: 0 }, payloads);
  return payloadsOf(bytes);
}

describe('assessing Aggressive Mode message 1', () => {
  it('finds the seed client acceptable for tunnel 1', () => {
    const assessment = assessAggressive1([seedGateway()], payloadsOf(clientMessage1().bytes), CLIENT.address);
    expect(assessment).toMatchObject({ kind: 'acceptable', gateway: { gatewayId: 1 }, chosen: { cipher: '3des-cbc', group: 2 } });
    expect(refusalNotifyType(assessment)).toBeUndefined();
  });

  it('calls a message without SA, KE, NONCE or ID malformed (PAYLOAD-MALFORMED)', () => {
    const full = payloadsOf(clientMessage1().bytes);
    const assessment = assessAggressive1([seedGateway()], withPayloads(full.filter((payload) => payload.type !== 'ke')), CLIENT.address);
    expect(assessment).toEqual({ kind: 'malformed', detail: 'message 1 lacks KE' });
    expect(refusalNotifyType(assessment)).toBe(NotifyType.PAYLOAD_MALFORMED);
  });

  it('calls a nonce outside RFC 2409\'s 8..256 bytes malformed', () => {
    const full = payloadsOf(clientMessage1().bytes);
    const shortNonce = full.map((payload) => (payload.type === 'nonce' ? noncePayload(Buffer.alloc(7, 1)) : payload));
    expect(assessAggressive1([seedGateway()], withPayloads(shortNonce as DecodedPayload[]), CLIENT.address)).toMatchObject({ kind: 'malformed' });
  });

  it('answers an unknown ID with INVALID-ID-INFORMATION', () => {
    const assessment = assessAggressive1([seedGateway()], payloadsOf(clientMessage1({ identity: { kind: 'fqdn', name: 'stranger' } }).bytes), CLIENT.address);
    expect(assessment).toEqual({ kind: 'unknown-peer', idText: 'stranger' });
    expect(refusalNotifyType(assessment)).toBe(NotifyType.INVALID_ID_INFORMATION);
  });

  it('does no key exchange for a gateway without a key, and says so for a masked one', () => {
    const payloads = payloadsOf(clientMessage1().bytes);
    expect(assessAggressive1([seedGateway({ preSharedKey: { kind: 'missing' } })], payloads, CLIENT.address)).toMatchObject({ kind: 'no-pre-shared-key', key: 'missing' });
    const masked = assessAggressive1([seedGateway({ preSharedKey: { kind: 'masked' } })], payloads, CLIENT.address);
    expect(masked).toMatchObject({ kind: 'no-pre-shared-key', key: 'masked' });
    expect(refusalNotifyType(masked)).toBeUndefined();
  });

  it('answers an unacceptable suite with NO-PROPOSAL-CHOSEN', () => {
    const payloads = payloadsOf(clientMessage1({ proposals: [{ ...SEED_PROPOSAL, hash: 'sha256' }] }).bytes);
    const assessment = assessAggressive1([seedGateway()], payloads, CLIENT.address);
    expect(assessment).toMatchObject({ kind: 'no-proposal-chosen', detail: expect.stringContaining('hash 4') });
    expect(refusalNotifyType(assessment)).toBe(NotifyType.NO_PROPOSAL_CHOSEN);
  });

  it('answers a KE that is not a public value of the chosen group with INVALID-KEY-INFORMATION', () => {
    const full = payloadsOf(clientMessage1().bytes);
    for (const keyData of [Buffer.alloc(96, 7), Buffer.concat([Buffer.alloc(127), Buffer.of(1)])]) {
      const payloads = withPayloads(full.map((payload) => (payload.type === 'ke' ? kePayload(keyData) : payload)) as DecodedPayload[]);
      const assessment = assessAggressive1([seedGateway()], payloads, CLIENT.address);
      expect(assessment.kind).toBe('invalid-key-information');
      expect(refusalNotifyType(assessment)).toBe(NotifyType.INVALID_KEY_INFORMATION);
    }
  });
});

describe('message 2', () => {
  function respond(gateway = seedGateway(), clientOverrides = {}) {
    const client = clientMessage1(clientOverrides);
    const assessment = assessAggressive1([gateway], payloadsOf(client.bytes), CLIENT.address);
    if (assessment.kind !== 'acceptable') throw new Error(assessment.kind);
    const negotiation = respondToAggressive1(
      assessment,
      { initiatorCookie: client.state.initiatorCookie, responderCookie, from: CLIENT, local: ROUTER },
      seededRandomBytes('message-2'),
    );
    return { client, negotiation, payloads: payloadsOf(negotiation.message2) };
  }

  it('is SA, KE, NONCE, ID, HASH with flags 0, and the bundled initiator verifies its HASH_R', () => {
    const { client, negotiation, payloads } = respond();
    expect(payloads.map((payload) => payload.type)).toEqual(['sa', 'ke', 'nonce', 'id', 'hash']);
    const header = decodeMessage(negotiation.message2);
    expect(header.ok && header.value.header).toMatchObject({ exchangeType: ExchangeType.AGGRESSIVE, flags: 0, messageId: 0, responderCookie });
    const processed = processAggressive2(client.state, negotiation.message2, { local: CLIENT, remote: ROUTER });
    expect(processed.ok).toBe(true);
  });

  it('echoes the chosen transform as offered (lifetime adopted) in a single proposal', () => {
    const { payloads, negotiation } = respond(seedGateway(), { proposals: [{ ...SEED_PROPOSAL, hash: 'sha256' }, { ...SEED_PROPOSAL, lifeSeconds: 15840 }] });
    const sa = payloads[0];
    expect(sa?.type === 'sa' && sa.proposals).toHaveLength(1);
    expect(sa?.type === 'sa' && sa.proposals[0]!.transforms).toEqual([negotiation.chosen.transform]);
    expect(negotiation.chosen.transform.transformNumber).toBe(2);
    expect(negotiation.lifetimeSeconds).toBe(15840);
  });

  it('identifies the router by `ipsec ike local address` as ID_IPV4_ADDR, else by the address the datagram reached', () => {
    const { payloads } = respond();
    expect(payloads[3]).toMatchObject({ type: 'id', idType: 1, protocolId: 0, port: 0, data: Buffer.from(SEED_LOCAL_ADDRESS.split('.').map(Number)) });
    const unset = respond(seedGateway({ localAddress: undefined }));
    expect(unset.payloads[3]).toMatchObject({ type: 'id', idType: 1, data: Buffer.of(192, 0, 2, 254) });
  });

  it('carries a fresh nonce and a full-length KE of the chosen group', () => {
    const { payloads } = respond();
    expect(payloads[1]).toMatchObject({ type: 'ke', keyData: expect.any(Buffer) });
    expect(payloads[1]?.type === 'ke' && payloads[1].keyData.length).toBe(128);
    expect(payloads[2]?.type === 'nonce' && payloads[2].nonce.length).toBe(RESPONDER_NONCE_LENGTH);
  });

  it('adds the NAT-T VID and a NAT-D pair of the addresses on the wire only with NAT-T on and announced by the peer', () => {
    const natT = seedGateway({ natTraversal: { enabled: true, keepaliveSeconds: 300, force: false } });
    const announced = { vendorIds: ['NAT_T_RFC3947', 'NAT_T_DRAFT_02_N'] as const };
    const { payloads, client } = respond(natT, { ...announced, vendorIds: [...announced.vendorIds] });
    expect(payloads.map((payload) => payload.type)).toEqual(['sa', 'ke', 'nonce', 'id', 'vendor-id', 'nat-d', 'nat-d', 'hash']);
    expect(payloads[4]).toMatchObject({ vendorId: Buffer.from('4a131c81070358455c5728f20e95452f', 'hex') });
    const natD = (endpoint: typeof CLIENT) =>
      computeNatDiscoveryHash('sha1', client.state.initiatorCookie, responderCookie, Buffer.from(endpoint.address.split('.').map(Number)), endpoint.port);
    expect(payloads[5]).toMatchObject({ payloadType: PayloadType.NAT_D, hash: natD(CLIENT) });
    expect(payloads[6]).toMatchObject({ payloadType: PayloadType.NAT_D, hash: natD(ROUTER) });

    expect(respond(natT).payloads.map((payload) => payload.type)).toEqual(['sa', 'ke', 'nonce', 'id', 'hash']);
    expect(respond(seedGateway(), { vendorIds: ['NAT_T_RFC3947'] }).payloads.map((payload) => payload.type)).toEqual(['sa', 'ke', 'nonce', 'id', 'hash']);
  });

  it('uses the draft NAT-D payload type with a draft-only peer', () => {
    const natT = seedGateway({ natTraversal: { enabled: true, keepaliveSeconds: 300, force: false } });
    const { payloads } = respond(natT, { vendorIds: ['NAT_T_DRAFT_02_N'] });
    expect(payloads[4]).toMatchObject({ vendorId: Buffer.from('90cb80913ebb696e086381b5ec427b1f', 'hex') });
    expect(payloads.filter((payload) => payload.type === 'nat-d').map((payload) => payload.type === 'nat-d' && payload.payloadType)).toEqual([130, 130]);
  });

  it('announces DPD only for `keepalive use GW on dpd`, and no vendor ID otherwise', () => {
    const dpd = seedGateway({ keepalive: { use: 'on', method: 'dpd', intervalSeconds: 10, count: 3, log: true } });
    const { payloads } = respond(dpd, { vendorIds: ['XAUTH', 'DPD', 'CISCO_UNITY'] });
    expect(payloads.filter((payload) => payload.type === 'vendor-id')).toEqual([
      expect.objectContaining({ vendorId: Buffer.from('afcad71368a1f1c96b8696fc77570100', 'hex') }),
    ]);
    expect(respond(seedGateway(), { vendorIds: ['XAUTH', 'DPD'] }).payloads.some((payload) => payload.type === 'vendor-id')).toBe(false);
  });

  it('derives the SKEYID chain and IV0 the initiator derives', () => {
    const { client, negotiation } = respond();
    const processed = processAggressive2(client.state, negotiation.message2, { local: CLIENT, remote: ROUTER });
    if (!processed.ok) throw new Error(processed.failure.text);
    expect(processed.state.keying.keys).toEqual(negotiation.keys);
    expect(processed.state.keying.ivChains.phase1.block).toEqual(negotiation.ivChains.phase1.block);
  });
});
