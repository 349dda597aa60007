import { describe, expect, it } from 'vitest';
import { decodeMessage, type DecodedMessage } from '../../src/ike/codec/index.js';
import { ZERO_PADDING_OR_NONE } from '../../src/ike/crypto/index.js';
import { buildAggressive3, processAggressive2, type Aggressive3Options } from '../../src/initiator/index.js';
import { assessAggressive1, respondToAggressive1 } from '../../src/ike-responder/aggressive1.js';
import { readAggressive3 } from '../../src/ike-responder/aggressive3.js';
import type { PayloadTypeSetting } from '../../src/ike-responder/policy.js';
import { CLIENT, ROUTER, clientMessage1, seedGateway, seededRandomBytes } from './support.js';

function decoded(bytes: Buffer): DecodedMessage {
  const message = decodeMessage(bytes);
  if (!message.ok) throw new Error(message.error.text);
  return message.value;
}

/** Messages 1 and 2 between the bundled initiator and respondToAggressive1; message 3 built as told. */
function scenario(message3: Aggressive3Options, clientPsk = 'PSKEY1') {
  const client = clientMessage1({ preSharedKey: Buffer.from(clientPsk) });
  const first = decoded(client.bytes);
  if (first.kind !== 'cleartext') throw new Error('message 1 encrypted');
  const assessment = assessAggressive1([seedGateway()], first.payloads, CLIENT.address);
  if (assessment.kind !== 'acceptable') throw new Error(assessment.kind);
  const negotiation = respondToAggressive1(
    assessment,
    { initiatorCookie: client.state.initiatorCookie, responderCookie: Buffer.alloc(8, 0x42), from: CLIENT, local: ROUTER },
    seededRandomBytes('aggressive3'),
  );
  const processed = processAggressive2(client.state, negotiation.message2, { local: CLIENT, remote: ROUTER });
  const aggressive2 = processed.ok ? processed.state : processed.failure.kind === 'hash-r-mismatch' ? processed.failure.unverified : undefined;
  if (!aggressive2) throw new Error('message 2 refused');
  const built = buildAggressive3(aggressive2, message3);
  const read = (payloadType: PayloadTypeSetting, message = decoded(built.bytes)) =>
    readAggressive3(
      {
        payloadType,
        cipher: { cipher: negotiation.chosen.cipher, encryptionKey: negotiation.keys.encryptionKey },
        ivChains: negotiation.ivChains,
        authContext: negotiation.authContext,
        initiatorIdBody: negotiation.initiatorIdBody,
      },
      message,
    );
  return { negotiation, built, read };
}

describe('Aggressive Mode message 3 under `ipsec ike payload type`', () => {
  it('refuses an encrypted message 3 under type 2 (the default) and type 1: the seed\'s OpenSWAN and vpnc failure', () => {
    const { read } = scenario({ encrypt: true });
    expect(read(2)).toEqual({ kind: 'encrypted-under-release-format' });
    expect(read(1)).toEqual({ kind: 'encrypted-under-release-format' });
  });

  it('decrypts and accepts an encrypted message 3 under type 3, the IVs then chained from its last cipher block', () => {
    const { read, built, negotiation } = scenario({ encrypt: true });
    const reading = read(3);
    expect(reading).toMatchObject({ kind: 'accepted', encrypted: true });
    if (reading.kind !== 'accepted') return;
    expect(reading.payloads.map((payload) => payload.type)).toEqual(['hash']);
    expect(reading.ivChains.phase1).toEqual({ block: built.bytes.subarray(-8), source: 'last-ciphertext-block', encryptedMessages: 1 });
    // Both sides now derive the same IV for a new exchange: the initiator's chains after sending.
    expect(reading.ivChains).toEqual(built.state.ivChains);
    expect(reading.ivChains.phase1.block).not.toEqual(negotiation.ivChains.phase1.block);
  });

  it('accepts a message 3 in clear under every type, the IVs staying at IV0 (racoon\'s case)', () => {
    const { read, negotiation } = scenario({ encrypt: false, initialContact: true });
    for (const payloadType of [1, 2, 3] as const) {
      const reading = read(payloadType);
      expect(reading).toMatchObject({ kind: 'accepted', encrypted: false });
      if (reading.kind !== 'accepted') continue;
      expect(reading.payloads.map((payload) => payload.type)).toEqual(['hash', 'notify']);
      expect(reading.ivChains).toBe(negotiation.ivChains);
      expect(reading.ivChains.phase1.source).toBe('initial-iv');
    }
  });

  it('finds the end of the payloads by the chain, whatever the padding', () => {
    const { read } = scenario({ encrypt: true, padding: ZERO_PADDING_OR_NONE });
    expect(read(3).kind).toBe('accepted');
    const randomPadding = scenario({ encrypt: true, padding: { kind: 'random', minimumLength: 1, randomBytes: (n) => Buffer.alloc(n, 0xa5) } });
    expect(randomPadding.read(3).kind).toBe('accepted');
  });

  it('reports a HASH_I made with another pre-shared key; encrypted under that key, message 3 cannot even be read', () => {
    expect(scenario({ encrypt: false }, 'WRONGKEY').read(2)).toMatchObject({ kind: 'hash-mismatch' });
    expect(scenario({ encrypt: false }, 'WRONGKEY').read(3)).toMatchObject({ kind: 'hash-mismatch' });
    // Another key means another Ka: the plaintext is noise and no payload chain decodes.
    expect(scenario({ encrypt: true }, 'WRONGKEY').read(3)).toMatchObject({ kind: 'unreadable' });
  });

  it('calls unreadable: a body that is not whole blocks, a chain that does not decode, no HASH, a non-zero M-ID', () => {
    const { read, built } = scenario({ encrypt: true });
    const message = decoded(built.bytes);
    if (message.kind !== 'encrypted') throw new Error('expected encrypted');
    expect(read(3, { ...message, encryptedBody: message.encryptedBody.subarray(1) })).toMatchObject({ kind: 'unreadable', detail: expect.stringContaining('whole') });
    const flipped = Buffer.from(message.encryptedBody);
    flipped[0]! ^= 0xff; // the first block's plaintext is garbage now: the HASH payload's header with it
    expect(read(3, { ...message, encryptedBody: flipped }).kind).toMatch(/unreadable|hash-mismatch/);
    expect(read(3, { ...message, header: { ...message.header, messageId: 7 } })).toMatchObject({ kind: 'unreadable', detail: expect.stringContaining('message ID') });
    const clear = decoded(scenario({ encrypt: false }).built.bytes);
    if (clear.kind !== 'cleartext') throw new Error('expected cleartext');
    expect(read(2, { ...clear, payloads: [] })).toEqual({ kind: 'unreadable', detail: 'message 3 has no HASH payload' });
  });
});
