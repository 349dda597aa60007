import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  decodeMessage,
  flattenedPayloadTypes,
  phase1Transform,
  type DecodedPayload,
  type Transform,
} from '../../../src/ike/codec/index.js';
import { ExchangeType, IsakmpFlag, NotifyType, PayloadType } from '../../../src/ike/constants.js';
import { computeNatDiscoveryHash, lastCipherBlock } from '../../../src/ike/crypto/index.js';
import {
  buildAggressive1,
  buildAggressive3,
  detectNat,
  processAggressive2,
  type Aggressive2Result,
  type Aggressive2State,
} from '../../../src/initiator/index.js';
import { strongswan } from '../crypto/vectors.js';
import { capturesDir } from '../../support/paths.js';
import { readUdpCapture } from '../../support/pcap.js';
import { fixedRandomness, phase1Path, seedClientOptions } from '../../initiator/support/fixtures.js';
import { answerAggressive1, readAggressive3 } from '../../initiator/support/tiny-responder.js';
import { encodeMessage, notifyPayload } from '../../../src/ike/codec/index.js';

const routerIdentity = { kind: 'ipv4-address', address: '172.16.0.254' } as const;

function captureMessage(capture: string, index: number) {
  const datagram = readUdpCapture(join(capturesDir, capture, 'capture.pcap'))[index]!;
  if (datagram.content.kind !== 'ike') throw new Error('not IKE');
  const decoded = decodeMessage(datagram.content.message);
  if (!decoded.ok || decoded.value.kind !== 'cleartext') throw new Error('not a cleartext message');
  return decoded.value;
}

function accepted(result: Aggressive2Result): Aggressive2State {
  if (!result.ok) throw new Error(`message 2 refused: ${result.failure.kind}: ${result.failure.text}`);
  return result.state;
}

function payloadTypes(bytes: Buffer): number[] {
  const decoded = decodeMessage(bytes);
  if (!decoded.ok || decoded.value.kind !== 'cleartext') throw new Error('not cleartext');
  return flattenedPayloadTypes(decoded.value.payloads);
}

describe('buildAggressive1', () => {
  it('writes the SA body strongSwan 5.9.8 sent for 3DES/SHA1/MODP1024/XAUTHInitPreShared, life 15840 s (vector 4b SAi_b)', () => {
    const { state } = buildAggressive1(
      seedClientOptions({
        identity: { kind: 'key-id', keyId: Buffer.from('vpngroup') },
        proposals: [{ encryption: '3des-cbc', hash: 'sha1', group: 2, authMethod: 'xauth-init-pre-shared', lifeSeconds: 15840 }],
      }),
      fixedRandomness,
    );
    expect(state.initiatorSaBody).toEqual(strongswan.initiatorSaBody);
    expect(state.initiatorIdBody).toEqual(strongswan.initiatorIdBody);
  });

  it('has the payload order and Vendor IDs of the strongSwan client in the push capture', () => {
    const captured = captureMessage('strongswan-push', 0);
    const { bytes } = buildAggressive1(
      seedClientOptions({
        proposals: [{ encryption: '3des-cbc', hash: 'sha1', group: 2, authMethod: 'xauth-init-pre-shared', lifeSeconds: 15840 }],
        vendorIds: ['XAUTH', 'DPD', 'FRAGMENTATION', 'NAT_T_RFC3947', 'NAT_T_DRAFT_02_N'],
        natTraversal: 'on',
      }),
      fixedRandomness,
    );
    const ours = decodeMessage(bytes);
    if (!ours.ok || ours.value.kind !== 'cleartext') throw new Error('not cleartext');
    expect(flattenedPayloadTypes(ours.value.payloads)).toEqual(flattenedPayloadTypes(captured.payloads));
    const bodies = (payloads: readonly DecodedPayload[], type: string) => payloads.filter((p) => p.type === type).map((p) => p.body.toString('hex'));
    for (const type of ['sa', 'id', 'vendor-id']) expect(bodies(ours.value.payloads, type)).toEqual(bodies(captured.payloads, type));
  });

  it('writes a transform the way vpnc 0.5.3 does with the vpnc encoding knobs (number 0, KEY_LENGTH first, 4-byte life)', () => {
    const captured = captureMessage('vpnc-0.5.3', 0);
    const capturedSa = captured.payloads[0]!;
    if (capturedSa.type !== 'sa') throw new Error('no SA');
    const { payloads } = buildAggressive1(
      seedClientOptions({
        proposals: [{ encryption: 'aes256-cbc', hash: 'sha1', group: 2, authMethod: 'xauth-init-pre-shared', lifeSeconds: 2147483 }],
        proposalEncoding: { firstNumber: 0, keyLengthFirst: true, lifeDuration: 'four-byte' },
        nonceLength: 20,
      }),
      { ...fixedRandomness, nonce: Buffer.alloc(20, 1) },
    );
    const sa = payloads[0]!;
    if (sa.type !== 'sa') throw new Error('no SA');
    expect(sa.proposals[0]!.proposalNumber).toBe(capturedSa.proposals[0]!.proposalNumber);
    expect(sa.proposals[0]!.transforms[0]).toEqual(capturedSa.proposals[0]!.transforms[0]);
  });

  it('numbers several transforms in order inside one proposal', () => {
    const { payloads, state } = buildAggressive1(
      seedClientOptions({
        proposals: [
          { encryption: 'aes128-cbc', hash: 'sha1', group: 2, authMethod: 'pre-shared-key' },
          { encryption: '3des-cbc', hash: 'md5', group: 2, authMethod: 'pre-shared-key' },
        ],
      }),
      fixedRandomness,
    );
    const sa = payloads[0]!;
    if (sa.type !== 'sa') throw new Error('no SA');
    expect(sa.proposals).toHaveLength(1);
    expect(sa.proposals[0]!.transforms.map((t: Transform) => t.transformNumber)).toEqual([1, 2]);
    expect(state.offered.map((offer) => offer.spec.encryption)).toEqual(['aes128-cbc', '3des-cbc']);
  });

  it('is deterministic for fixed randomness and changes with it', () => {
    const options = seedClientOptions();
    expect(buildAggressive1(options, fixedRandomness).bytes).toEqual(buildAggressive1(options, fixedRandomness).bytes);
    const other = buildAggressive1(options, { ...fixedRandomness, nonce: Buffer.alloc(32, 0x5a) });
    expect(other.bytes).not.toEqual(buildAggressive1(options, fixedRandomness).bytes);
  });

  it('sends a zero responder cookie, no flags and M-ID 0', () => {
    const decoded = decodeMessage(buildAggressive1(seedClientOptions(), fixedRandomness).bytes);
    if (!decoded.ok) throw new Error('does not decode');
    const { header } = decoded.value;
    expect(header.responderCookie).toEqual(Buffer.alloc(8));
    expect([header.exchangeType, header.flags, header.messageId]).toEqual([ExchangeType.AGGRESSIVE, 0, 0]);
  });

  it('refuses options Aggressive Mode cannot carry', () => {
    const mixedGroups = seedClientOptions({
      proposals: [
        { encryption: '3des-cbc', hash: 'sha1', group: 2, authMethod: 'pre-shared-key' },
        { encryption: '3des-cbc', hash: 'sha1', group: 5, authMethod: 'pre-shared-key' },
      ],
    });
    expect(() => buildAggressive1(mixedGroups, fixedRandomness)).toThrow(/one KE/);
    expect(() => buildAggressive1(seedClientOptions(), { ...fixedRandomness, nonce: Buffer.alloc(16) })).toThrow(/nonce/);
    expect(() => buildAggressive1(seedClientOptions({ identity: { kind: 'ipv4-address', address: '300.1.1.1' } }), fixedRandomness)).toThrow(/identity/);
  });
});

describe('processAggressive2', () => {
  const setup = { preSharedKey: Buffer.from('PSKEY1'), identity: routerIdentity };

  it('derives the responder\'s keys and verifies its HASH_R', () => {
    const m1 = buildAggressive1(seedClientOptions(), fixedRandomness);
    const { message2, sa } = answerAggressive1(m1.bytes, setup);
    const state = accepted(processAggressive2(m1.state, message2, phase1Path));
    expect(state.keying.keys).toEqual(sa.keys);
    expect(state.keying.ivChains.phase1.block).toEqual(sa.ivChains.phase1.block);
    expect(state.responderCookie).toEqual(sa.responderCookie);
    expect(state.responderIdentity).toEqual(routerIdentity);
    expect(state.negotiated.proposal).toMatchObject({ encryption: '3des-cbc', hash: 'sha1', group: 2, authMethod: 'xauth-init-pre-shared' });
  });

  it('keys AES-128 with MD5 from the transform the responder picked', () => {
    const m1 = buildAggressive1(
      seedClientOptions({
        proposals: [
          { encryption: '3des-cbc', hash: 'sha1', group: 2, authMethod: 'pre-shared-key' },
          { encryption: 'aes128-cbc', hash: 'md5', group: 2, authMethod: 'pre-shared-key' },
        ],
      }),
      fixedRandomness,
    );
    const { message2, sa } = answerAggressive1(m1.bytes, { ...setup, chooseTransform: 1 });
    const state = accepted(processAggressive2(m1.state, message2, phase1Path));
    expect(state.negotiated.transformNumber).toBe(2);
    expect(state.keying.saCipher).toEqual({ cipher: 'aes128-cbc', encryptionKey: sa.keys.encryptionKey });
    expect(state.keying.keys.encryptionKey).toHaveLength(16);
  });

  it('reports a wrong pre-shared key as a HASH_R mismatch', () => {
    const m1 = buildAggressive1(seedClientOptions({ preSharedKey: Buffer.from('wrong') }), fixedRandomness);
    const { message2 } = answerAggressive1(m1.bytes, setup);
    const result = processAggressive2(m1.state, message2, phase1Path);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.failure.kind).toBe('hash-r-mismatch');
  });

  it('still lets a test send message 3 after a HASH_R mismatch, whose HASH_I the responder then refuses', () => {
    const m1 = buildAggressive1(seedClientOptions({ preSharedKey: Buffer.from('wrong') }), fixedRandomness);
    const { message2, sa } = answerAggressive1(m1.bytes, setup);
    const result = processAggressive2(m1.state, message2, phase1Path);
    if (result.ok || result.failure.kind !== 'hash-r-mismatch') throw new Error('expected a HASH_R mismatch');
    const m3 = buildAggressive3(result.failure.unverified, { encrypt: false });
    expect(readAggressive3(sa, m3.bytes).hashIVerifies).toBe(false);
  });

  it('refuses a transform it did not offer', () => {
    const m1 = buildAggressive1(seedClientOptions(), fixedRandomness);
    const foreign = phase1Transform({ encryption: 7, keyLength: 256, hash: 2, group: 2, authMethod: 65001 });
    const { message2 } = answerAggressive1(m1.bytes, { ...setup, replaceTransform: foreign });
    const result = processAggressive2(m1.state, message2, phase1Path);
    expect(!result.ok && result.failure.kind).toBe('proposal-not-offered');
  });

  it('takes the life duration the responder returned', () => {
    const m1 = buildAggressive1(seedClientOptions(), fixedRandomness);
    const shorter = phase1Transform({ encryption: 5, hash: 2, group: 2, authMethod: 65001, lifeSeconds: 3600 });
    const { message2 } = answerAggressive1(m1.bytes, { ...setup, replaceTransform: shorter });
    expect(accepted(processAggressive2(m1.state, message2, phase1Path)).negotiated.proposal.lifeSeconds).toBe(3600);
  });

  it('reports NO-PROPOSAL-CHOSEN sent in a cleartext Informational', () => {
    const m1 = buildAggressive1(seedClientOptions(), fixedRandomness);
    const informational = encodeMessage(
      { initiatorCookie: fixedRandomness.initiatorCookie, responderCookie: Buffer.alloc(8), exchangeType: ExchangeType.INFORMATIONAL, flags: 0, messageId: 0 },
      [notifyPayload({ notifyType: NotifyType.NO_PROPOSAL_CHOSEN })],
    );
    const result = processAggressive2(m1.state, informational, phase1Path);
    if (result.ok || result.failure.kind !== 'notify-received') throw new Error('expected notify-received');
    expect(result.failure.notifies.map((notify) => notify.name)).toEqual(['NO-PROPOSAL-CHOSEN']);
  });

  it.each([
    ['a message for other cookies', (m2: Buffer) => Buffer.concat([Buffer.alloc(8, 9), m2.subarray(8)]), 'foreign-message'],
    ['a truncated message', (m2: Buffer) => m2.subarray(0, m2.length - 3), 'malformed'],
    ['an encrypted message', (m2: Buffer) => Buffer.concat([m2.subarray(0, 19), Buffer.of(m2[19]! | IsakmpFlag.ENCRYPTION), m2.subarray(20)]), 'unexpected-exchange'],
  ])('classifies %s', (_what, mutate, kind) => {
    const m1 = buildAggressive1(seedClientOptions(), fixedRandomness);
    const { message2 } = answerAggressive1(m1.bytes, setup);
    const result = processAggressive2(m1.state, mutate(message2), phase1Path);
    expect(!result.ok && result.failure.kind).toBe(kind);
  });

  it('names the payload message 2 lacks', () => {
    const m1 = buildAggressive1(seedClientOptions(), fixedRandomness);
    const { message2 } = answerAggressive1(m1.bytes, { ...setup, omit: 'hash' });
    const result = processAggressive2(m1.state, message2, phase1Path);
    expect(!result.ok && result.failure).toMatchObject({ kind: 'missing-payload', payload: 'hash' });
  });

  it('refuses a responder KE outside the group', () => {
    const m1 = buildAggressive1(seedClientOptions(), fixedRandomness);
    const { message2 } = answerAggressive1(m1.bytes, { ...setup, keyData: Buffer.alloc(128, 0) });
    const result = processAggressive2(m1.state, message2, phase1Path);
    expect(!result.ok && result.failure).toMatchObject({ kind: 'invalid-key-exchange', problem: 'out-of-range' });
  });

  it('checks IDir only when told which identity to expect', () => {
    const m1 = buildAggressive1(seedClientOptions({ expectedResponderIdentity: { kind: 'ipv4-address', address: '172.16.0.1' } }), fixedRandomness);
    const { message2 } = answerAggressive1(m1.bytes, setup);
    const result = processAggressive2(m1.state, message2, phase1Path);
    expect(!result.ok && result.failure.kind).toBe('responder-id-mismatch');
    const unchecked = buildAggressive1(seedClientOptions(), fixedRandomness);
    expect(processAggressive2(unchecked.state, answerAggressive1(unchecked.bytes, setup).message2, phase1Path).ok).toBe(true);
  });
});

describe('buildAggressive3', () => {
  const setup = { preSharedKey: Buffer.from('PSKEY1'), identity: routerIdentity };

  function exchange(options = seedClientOptions(), responder: Partial<Parameters<typeof answerAggressive1>[1]> = {}, path = phase1Path) {
    const m1 = buildAggressive1(options, fixedRandomness);
    const { message2, sa } = answerAggressive1(m1.bytes, { ...setup, ...responder });
    return { state: accepted(processAggressive2(m1.state, message2, path)), responder: sa };
  }

  it('sends HASH_I in clear when told to, leaving the Phase 1 IV at IV0 (racoon)', () => {
    const { state, responder } = exchange();
    const m3 = buildAggressive3(state, { encrypt: false });
    const read = readAggressive3(responder, m3.bytes);
    expect(read.header.flags).toBe(0);
    expect(read.hashIVerifies).toBe(true);
    expect(m3.state.ivChains.phase1).toMatchObject({ source: 'initial-iv', block: responder.ivChains.phase1.block });
    expect(m3.state.message3Encrypted).toBe(false);
  });

  it('encrypts HASH_I on the Phase 1 chain when told to, and continues the chain from its last block (strongSwan, OpenSWAN)', () => {
    const { state, responder } = exchange();
    const m3 = buildAggressive3(state, { encrypt: true });
    const read = readAggressive3(responder, m3.bytes);
    expect(read.header.flags).toBe(IsakmpFlag.ENCRYPTION);
    expect(read.hashIVerifies).toBe(true);
    expect(read.trailing).toEqual(Buffer.alloc(8)); // HASH alone is 24 bytes, already whole blocks: strongSwan's padding adds a full block
    expect(m3.state.ivChains.phase1.block).toEqual(lastCipherBlock(m3.bytes.subarray(28), 8));
    expect(m3.state.ivChains.phase1.block).toEqual(read.ivChains.phase1.block);
  });

  it('puts INITIAL-CONTACT and Vendor IDs after HASH_I, then NAT-D, as vpnc 0.5.3 does', () => {
    const { state, responder } = exchange(seedClientOptions({ vendorIds: ['XAUTH', 'NAT_T_RFC3947'], natTraversal: 'on' }), {
      vendorIds: ['XAUTH', 'NAT_T_RFC3947'],
      natD: { initiatorSeenAt: phase1Path.local, responderAt: phase1Path.remote },
    });
    const m3 = buildAggressive3(state, { encrypt: true, initialContact: true, vendorIds: [Buffer.alloc(16, 7), 'CISCO_UNITY'] });
    const read = readAggressive3(responder, m3.bytes);
    expect(flattenedPayloadTypes(read.payloads)).toEqual([8, 11, 13, 13, 20, 20]);
    const notify = read.payloads[1]!;
    expect(notify).toMatchObject({ type: 'notify', notifyType: NotifyType.INITIAL_CONTACT });
    expect(notify.type === 'notify' && notify.spi).toEqual(Buffer.concat([responder.initiatorCookie, responder.responderCookie]));
  });

  it('sends no NAT-D when NAT-T was not negotiated', () => {
    const { state } = exchange(seedClientOptions({ vendorIds: ['NAT_T_RFC3947'], natTraversal: 'on' }));
    expect(state.natTraversal).toEqual({ floated: false });
    expect(payloadTypes(buildAggressive3(state, { encrypt: false }).bytes)).toEqual([PayloadType.HASH]);
  });

  it('never negotiates NAT-T when it is off, whatever the VIDs', () => {
    const { state } = exchange(seedClientOptions({ vendorIds: ['NAT_T_RFC3947'], natTraversal: 'off' }), {
      vendorIds: ['NAT_T_RFC3947'],
      natD: { initiatorSeenAt: { address: '203.0.113.9', port: 4096 }, responderAt: phase1Path.remote },
    });
    expect(state.natTraversal).toEqual({ floated: false });
  });
});

describe('NAT traversal in Aggressive Mode', () => {
  const setup = { preSharedKey: Buffer.from('PSKEY1'), identity: routerIdentity, vendorIds: ['NAT_T_RFC3947' as const] };
  const natOptions = seedClientOptions({ vendorIds: ['XAUTH', 'NAT_T_RFC3947', 'NAT_T_DRAFT_02_N'], natTraversal: 'on' });
  const afterFloat = { local: { address: '192.0.2.132', port: 4500 }, remote: { address: '172.16.0.254', port: 4500 } };

  function negotiate(options: typeof natOptions, initiatorSeenAt: { address: string; port: number }, responderVendorIds = setup.vendorIds) {
    const m1 = buildAggressive1(options, fixedRandomness);
    const { message2, sa } = answerAggressive1(m1.bytes, { ...setup, vendorIds: responderVendorIds, natD: { initiatorSeenAt, responderAt: phase1Path.remote, draft: responderVendorIds[0] !== 'NAT_T_RFC3947' } });
    return { state: accepted(processAggressive2(m1.state, message2, phase1Path)), responder: sa };
  }

  function natDHashes(responder: ReturnType<typeof negotiate>['responder'], bytes: Buffer): Buffer[] {
    return readAggressive3(responder, bytes).payloads.flatMap((payload) => (payload.type === 'nat-d' ? [payload.hash] : []));
  }

  const hashOf = (responder: ReturnType<typeof negotiate>['responder'], endpoint: { address: string; port: number }) =>
    computeNatDiscoveryHash('sha1', responder.initiatorCookie, responder.responderCookie, Buffer.from(endpoint.address.split('.').map(Number)), endpoint.port);

  it('sees no NAT when the responder saw our own address, and stays on port 500', () => {
    const { state } = negotiate(natOptions, phase1Path.local);
    expect(state.natTraversal).toEqual({ method: 'rfc3947', localBehindNat: false, peerBehindNat: false, floated: false });
  });

  it('detects a NAT in front of us from the first NAT-D and floats', () => {
    const { state } = negotiate(natOptions, { address: '198.51.100.7', port: 61000 });
    expect(state.natTraversal).toEqual({ method: 'rfc3947', localBehindNat: true, peerBehindNat: false, floated: true });
  });

  it('hashes the floated path in message 3 by default (strongSwan) and the Phase 1 path on request (vpnc)', () => {
    const { state, responder } = negotiate(natOptions, { address: '198.51.100.7', port: 61000 });
    const strongswanLike = buildAggressive3(state, { encrypt: true }, afterFloat);
    expect(natDHashes(responder, strongswanLike.bytes)).toEqual([hashOf(responder, afterFloat.remote), hashOf(responder, afterFloat.local)]);
    const vpncLike = buildAggressive3(state, { encrypt: true, natDAddresses: 'phase1-exchange' }, afterFloat);
    expect(natDHashes(responder, vpncLike.bytes)).toEqual([hashOf(responder, phase1Path.remote), hashOf(responder, phase1Path.local)]);
  });

  it('floats and hides its own address when NAT-T is forced (strongSwan encap = yes)', () => {
    const { state, responder } = negotiate({ ...natOptions, natTraversal: 'force' }, phase1Path.local);
    expect(state.natTraversal.floated).toBe(true);
    const [remote, local] = natDHashes(responder, buildAggressive3(state, { encrypt: false }, afterFloat).bytes);
    expect(remote).toEqual(hashOf(responder, afterFloat.remote));
    expect(local).not.toEqual(hashOf(responder, afterFloat.local));
  });

  it('uses the draft NAT-D payload type when the responder only knows draft-02', () => {
    const { state, responder } = negotiate(natOptions, phase1Path.local, ['NAT_T_DRAFT_02_N' as never]);
    expect(state.natTraversal.method).toBe('draft-02n');
    const read = readAggressive3(responder, buildAggressive3(state, { encrypt: false }).bytes);
    expect(flattenedPayloadTypes(read.payloads)).toEqual([8, 130, 130]);
  });

  it('reads the NAT-D of a real message 2 (vpnc capture): the client was not behind a NAT, the responder claimed to be', () => {
    // The capture's responder forced encapsulation, as strongSwan's encap = yes does: its own
    // NAT-D matches no address, so vpnc floated to 4500 (summary.tsv, frame 3).
    const message2 = captureMessage('vpnc-0.5.3', 1);
    const cookies = { initiatorCookie: message2.header.initiatorCookie, responderCookie: message2.header.responderCookie };
    const hashes = message2.payloads.flatMap((payload) => (payload.type === 'nat-d' ? [payload.hash] : []));
    const path = { local: { address: '192.0.2.132', port: 500 }, remote: { address: '192.0.2.254', port: 500 } };
    expect(detectNat('sha1', cookies, hashes, path)).toEqual({ localBehindNat: false, peerBehindNat: true });
    expect(detectNat('sha1', cookies, hashes, { ...path, local: { address: '192.0.2.133', port: 500 } }).localBehindNat).toBe(true);
  });
});
