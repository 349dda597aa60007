import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage, idPayload, ipsecTransform, type Payload } from '../../../src/ike/codec/index.js';
import { EncapsulationMode, ExchangeType, IsakmpFlag, ProtocolId } from '../../../src/ike/constants.js';
import { ZERO_PADDING_OR_NONE } from '../../../src/ike/crypto/index.js';
import {
  VPNC_QUICK_MODE_ENCODING,
  buildAggressive1,
  buildAggressive3,
  buildQuickMode1,
  buildQuickMode3,
  formatEspSaPair,
  processAggressive2,
  processQuickMode2,
  resolveQuickModeRequest,
  type IsakmpSa,
  type QuickMode1State,
  type QuickMode2State,
  type QuickModeOptions,
  type QuickModeRandomness,
} from '../../../src/initiator/index.js';
import { strongswan, strongswanQuickModeNonces } from '../crypto/vectors.js';
import { loadCapture } from '../../initiator/support/captures.js';
import { fixedRandomness, phase1Path, seedClientOptions } from '../../initiator/support/fixtures.js';
import { answerAggressive1, answerQuickMode1, readAggressive3, type TinyResponderSa } from '../../initiator/support/tiny-responder.js';

const hex = (text: string): Buffer => Buffer.from(text, 'hex');
const protectedNetwork = { kind: 'ipv4-subnet', address: '10.1.1.0', netmask: '255.255.255.0' } as const;
/** The seed's `ipsec sa policy 101 1 esp 3des-cbc sha-hmac`, to the LAN behind the router. */
const seedQuickMode: QuickModeOptions = {
  proposals: [{ encryption: '3des-cbc', integrity: 'hmac-sha1-96' }],
  lifeSeconds: 28800,
  localId: { kind: 'mode-cfg-address' },
  remoteId: protectedNetwork,
};
const qmRandomness: QuickModeRandomness = { messageId: 0x51c0ffee, spi: hex('c11e4700'), nonce: Buffer.alloc(32, 0x71) };

function request(options: QuickModeOptions, sa: IsakmpSa, address?: string) {
  const resolved = resolveQuickModeRequest(options, sa, address);
  if (!resolved.ok) throw new Error(resolved.text);
  return resolved.request;
}

/** Phase 1 against the tiny responder: both sides' SAs after message 3. */
function establish(message3Encrypted = false): { sa: IsakmpSa; responder: TinyResponderSa } {
  const m1 = buildAggressive1(seedClientOptions(), fixedRandomness);
  const { message2, sa: responder } = answerAggressive1(m1.bytes, { preSharedKey: Buffer.from('PSKEY1'), identity: { kind: 'ipv4-address', address: '172.16.0.254' } });
  const r2 = processAggressive2(m1.state, message2, phase1Path);
  if (!r2.ok) throw new Error(r2.failure.text);
  const m3 = buildAggressive3(r2.state, { encrypt: message3Encrypted });
  return { sa: m3.state, responder: { ...responder, ivChains: readAggressive3(responder, m3.bytes).ivChains } };
}

function accepted(result: ReturnType<typeof processQuickMode2>): QuickMode2State {
  if (!result.ok) throw new Error(`${result.failure.kind}: ${result.failure.text}`);
  return result.state;
}

describe('Quick Mode against the strongSwan push capture', () => {
  const capture = loadCapture('strongswan-push');
  const frame10 = capture.message(10);
  const sa1 = frame10.payloads.find((payload) => payload.type === 'sa');
  const nonce = frame10.payloads.find((payload) => payload.type === 'nonce');
  const randomness: QuickModeRandomness = {
    messageId: frame10.header.messageId,
    spi: sa1?.type === 'sa' ? sa1.proposals[0]!.spi : Buffer.alloc(4),
    nonce: nonce?.type === 'nonce' ? nonce.nonce : Buffer.alloc(32),
  };
  const strongswanChild: QuickModeOptions = { ...seedQuickMode, lifeSeconds: 3960 };

  it('sends the very message 1 strongSwan sent: UDP-encapsulated tunnel after NAT-T, IDci = the mode-cfg address', () => {
    const built = buildQuickMode1(capture.sa, request(strongswanChild, capture.sa, '10.1.1.110'), randomness);
    expect(built.bytes).toEqual(frame10.bytes);
  });

  it('verifies the gateway\'s HASH(2), takes its SPI and sends the very HASH(3) strongSwan sent', () => {
    const built = buildQuickMode1(capture.sa, request(strongswanChild, capture.sa, '10.1.1.110'), randomness);
    const state = accepted(processQuickMode2(built.state, capture.message(11).bytes));
    expect(state.responderSpi).toEqual(hex('d5866ebf'));
    expect(state.chosen).toMatchObject({ offered: { spec: { encryption: '3des-cbc', integrity: 'hmac-sha1-96' } }, lifeSeconds: 3960 });
    const message3 = buildQuickMode3(state);
    expect(message3.bytes).toEqual(capture.message(12).bytes);
    expect(formatEspSaPair(message3.espSas)).toBe('3des-cbc/hmac-sha1-96 UDP tunnel out 0xd5866ebf in 0x7ec297bf 10.1.1.110 <-> 10.1.1.0/255.255.255.0');
  });
});

describe('buildQuickMode3 keying (vector 4b)', () => {
  it('keys our outbound SA with the responder\'s SPI and the inbound one with ours', () => {
    const { initiatorNonce, responderNonce } = strongswanQuickModeNonces();
    const sa = { ...loadCapture('strongswan-push').sa, keys: { ...loadCapture('strongswan-push').sa.keys, skeyidD: strongswan.skeyidD, skeyidA: strongswan.skeyidA } };
    const quickMode1 = {
      request: request({ proposals: [{ encryption: '3des-cbc', integrity: 'hmac-sha1-96' }] }, sa),
      messageId: 1,
      initiatorSpi: strongswan.quickMode.initiatorSpi,
      initiatorNonce,
      offered: [{ proposalNumber: 1, transformNumber: 1, spec: { encryption: '3des-cbc', integrity: 'hmac-sha1-96' } }],
      sa,
      message1: Buffer.alloc(0),
    } satisfies QuickMode1State;
    const state: QuickMode2State = {
      quickMode1,
      responderSpi: strongswan.quickMode.responderSpi,
      responderNonce,
      chosen: { offered: quickMode1.offered[0]! },
      commitBit: false,
      notifies: [],
      sa,
      message2: Buffer.alloc(0),
    };
    const { espSas } = buildQuickMode3(state);
    expect(espSas.outbound).toEqual({ spi: strongswan.quickMode.responderSpi, ...strongswan.quickMode.initiatorToResponder });
    expect(espSas.inbound).toEqual({ spi: strongswan.quickMode.initiatorSpi, ...strongswan.quickMode.responderToInitiator });
  });
});

describe('Quick Mode against the tiny responder', () => {
  it('runs with PFS and the second of two transforms, both sides deriving the same keys', () => {
    const { sa, responder } = establish();
    const options: QuickModeOptions = {
      ...seedQuickMode,
      proposals: [
        { encryption: '3des-cbc', integrity: 'hmac-sha1-96' },
        { encryption: 'aes128-cbc', integrity: 'hmac-md5-96' },
      ],
      pfsGroup: 2,
    };
    const built = buildQuickMode1(sa, request(options, sa, '10.1.1.110'), { ...qmRandomness, dhPrivateKey: hex('0123456789') });
    expect(built.payloads.map((payload) => payload.type)).toEqual(['hash', 'sa', 'nonce', 'ke', 'id', 'id']);
    const gateway = answerQuickMode1(responder, responder.ivChains, built.bytes, { chooseTransform: 1 });
    expect(gateway.hash1Verifies).toBe(true);
    const state = accepted(processQuickMode2(built.state, gateway.message2));
    expect(state.pfsSharedSecret).toHaveLength(128);
    const message3 = buildQuickMode3(state);
    expect(gateway.readMessage3(message3.bytes).hash3Verifies).toBe(true);
    const { outbound, inbound } = message3.espSas;
    expect([message3.espSas.encryption, message3.espSas.integrity, message3.espSas.pfsGroup]).toEqual(['aes128-cbc', 'hmac-md5-96', 2]);
    expect(Buffer.concat([outbound.encryptionKey, outbound.integrityKey])).toEqual(gateway.keymat(gateway.responderSpi, 32));
    expect(Buffer.concat([inbound.encryptionKey, inbound.integrityKey])).toEqual(gateway.keymat(qmRandomness.spi, 32));
    expect(message3.sa.ivChains.exchanges.has(qmRandomness.messageId)).toBe(false);
  });

  it.each([
    ['des-cbc', 'hmac-md5-96', 8 + 16],
    ['3des-cbc', 'hmac-md5-96', 24 + 16],
    ['aes192-cbc', 'hmac-sha1-96', 24 + 20],
    ['aes256-cbc', 'hmac-sha1-96', 32 + 20],
  ] as const)('keys %s with %s as the responder does', (encryption, integrity, keymatLength) => {
    const { sa, responder } = establish();
    const built = buildQuickMode1(sa, request({ ...seedQuickMode, proposals: [{ encryption, integrity }] }, sa, '10.1.1.110'), qmRandomness);
    const gateway = answerQuickMode1(responder, responder.ivChains, built.bytes);
    const { espSas } = buildQuickMode3(accepted(processQuickMode2(built.state, gateway.message2)));
    expect(Buffer.concat([espSas.outbound.encryptionKey, espSas.outbound.integrityKey])).toEqual(gateway.keymat(gateway.responderSpi, keymatLength));
    expect(Buffer.concat([espSas.inbound.encryptionKey, espSas.inbound.integrityKey])).toEqual(gateway.keymat(qmRandomness.spi, keymatLength));
  });

  it('offers a plain tunnel without NAT-T and a fixed IDci when told', () => {
    const { sa, responder } = establish(true);
    const fixed: QuickModeOptions = { ...seedQuickMode, localId: { kind: 'ipv4-address', address: '192.168.100.30' } };
    const built = buildQuickMode1(sa, request(fixed, sa), qmRandomness);
    const gateway = answerQuickMode1(responder, responder.ivChains, built.bytes);
    const transform = gateway.offeredSa.proposals[0]!.transforms[0]!;
    expect(transform.attributes).toContainEqual({ format: 'tv', type: 4, value: EncapsulationMode.TUNNEL });
    expect(gateway.ids.map((id) => id.type === 'id' && id.data.toString('hex'))).toEqual(['c0a8641e', '0a010100ffffff00']);
  });

  it('tolerates the commit bit on message 2 and never sets it itself', () => {
    const { sa, responder } = establish();
    const built = buildQuickMode1(sa, request(seedQuickMode, sa, '10.1.1.110'), qmRandomness);
    const gateway = answerQuickMode1(responder, responder.ivChains, built.bytes, { flags: IsakmpFlag.ENCRYPTION | IsakmpFlag.COMMIT });
    const state = accepted(processQuickMode2(built.state, gateway.message2));
    expect(state.commitBit).toBe(true);
    const message3 = buildQuickMode3(state);
    for (const bytes of [built.bytes, message3.bytes]) expect(bytes[19]).toBe(IsakmpFlag.ENCRYPTION);
  });

  it.each([
    ['a transform it did not offer', { replaceTransform: ipsecTransform({ transformId: 12, keyLength: 256, authAlgorithm: 2, encapsulationMode: 1 }) }, 'proposal-not-offered'],
    ['another encapsulation mode', { replaceTransform: ipsecTransform({ transformId: 3, authAlgorithm: 2, encapsulationMode: 3 }) }, 'proposal-not-offered'],
    ['a HASH(2) that does not verify', { tamperHash: true }, 'hash-mismatch'],
    ['IDs other than ours', { ids: [idPayload({ kind: 'ipv4-address', address: '10.1.1.111' }), idPayload(protectedNetwork)] as Payload[] }, 'id-mismatch'],
  ])('refuses %s', (_name, setup, kind) => {
    const { sa, responder } = establish();
    const built = buildQuickMode1(sa, request(seedQuickMode, sa, '10.1.1.110'), qmRandomness);
    const gateway = answerQuickMode1(responder, responder.ivChains, built.bytes, setup);
    const result = processQuickMode2(built.state, gateway.message2);
    expect(!result.ok && result.failure.kind).toBe(kind);
  });

  it('refuses a message 2 without KE when PFS was offered', () => {
    const { sa, responder } = establish();
    const built = buildQuickMode1(sa, request({ ...seedQuickMode, pfsGroup: 2 }, sa, '10.1.1.110'), { ...qmRandomness, dhPrivateKey: hex('77') });
    const gateway = answerQuickMode1(responder, responder.ivChains, built.bytes, { omitKe: true });
    const result = processQuickMode2(built.state, gateway.message2);
    expect(!result.ok && result.failure).toMatchObject({ kind: 'missing-payload', payload: 'ke' });
  });

  it('does not take another exchange for message 2', () => {
    const { sa } = establish();
    const built = buildQuickMode1(sa, request(seedQuickMode, sa, '10.1.1.110'), qmRandomness);
    const informational = encodeMessage(
      { initiatorCookie: sa.initiatorCookie, responderCookie: sa.responderCookie, exchangeType: ExchangeType.INFORMATIONAL, flags: 0, messageId: 5 },
      [],
    );
    expect(processQuickMode2(built.state, informational)).toMatchObject({ ok: false, failure: { kind: 'cleartext' } });
  });
});

describe('resolveQuickModeRequest', () => {
  const sa = loadCapture('strongswan-push').sa;

  it('needs a mode-cfg address when IDci is to be that address', () => {
    expect(resolveQuickModeRequest(seedQuickMode, sa)).toEqual({ ok: false, text: 'IDci is the mode-cfg address, and mode-cfg installed none' });
  });

  it('picks the encapsulation mode from NAT-T: 3 under RFC 3947, 61443 under the drafts, 1 without floating', () => {
    const mode = (natTraversal: IsakmpSa['natTraversal'], encapsulation?: QuickModeOptions['encapsulation']) =>
      request({ ...seedQuickMode, ...(encapsulation ? { encapsulation } : {}) }, { ...sa, natTraversal }, '10.1.1.110').encapsulationMode;
    expect(mode({ method: 'rfc3947', floated: true })).toBe(3);
    expect(mode({ method: 'draft-02n', floated: true })).toBe(61443);
    expect(mode({ floated: false })).toBe(1);
    expect(mode({ floated: false }, 'udp-tunnel')).toBe(3);
    expect(mode({ method: 'rfc3947', floated: true }, 'tunnel')).toBe(1);
  });

  it('refuses one ID without the other, and no proposal', () => {
    const result = resolveQuickModeRequest({ proposals: [], remoteId: protectedNetwork }, sa);
    expect(!result.ok && result.text).toBe('no ESP proposal to offer; IDci and IDcr must both be given or both left out');
  });
});

describe('QuickModeProposalEncoding', () => {
  it('writes vpnc\'s layout: a proposal per transform numbered from 0, KEY_LENGTH first, a 4-byte life', () => {
    const sa = loadCapture('strongswan-push').sa;
    const options: QuickModeOptions = {
      proposals: [
        { encryption: 'aes256-cbc', integrity: 'hmac-sha1-96' },
        { encryption: '3des-cbc', integrity: 'hmac-md5-96' },
      ],
      lifeSeconds: 2147483,
      encoding: VPNC_QUICK_MODE_ENCODING,
      padding: ZERO_PADDING_OR_NONE,
      nonceLength: 20,
    };
    const built = buildQuickMode1(sa, request(options, sa), { ...qmRandomness, nonce: Buffer.alloc(20, 1) });
    const sa1 = built.payloads[1]!;
    if (sa1.type !== 'sa') throw new Error('no SA');
    expect(sa1.proposals.map((proposal) => [proposal.proposalNumber, proposal.protocolId, proposal.transforms.length])).toEqual([
      [0, ProtocolId.IPSEC_ESP, 1],
      [1, ProtocolId.IPSEC_ESP, 1],
    ]);
    expect(sa1.proposals[0]!.transforms[0]!.attributes.map((attribute) => attribute.type)).toEqual([6, 4, 5, 1, 2]);
    expect(sa1.proposals[0]!.transforms[0]!.attributes.at(-1)).toEqual({ format: 'tlv', type: 2, value: hex('0020c49b') });
    expect(decodeMessage(built.bytes).ok).toBe(true);
  });
});
