import { heartbeatNotify } from '../../src/ike/rtxlab-heartbeat.js';
import { describe, expect, it } from 'vitest';
import { ExchangeType, NotifyType, ProtocolId } from '../../src/ike/constants.js';
import { decodeMessage, deletePayload, isakmpSpi, notifyPayload, type DecodedMessage } from '../../src/ike/codec/index.js';
import { buildInformational, parseInformational } from '../../src/initiator/index.js';
import {
  clearNotifyMessage,
  dpdAcknowledgement,
  informationalRequests,
  isakmpSaDeletion,
  newMessageId,
  protectedInformationalMessage,
  readProtectedInformational,
  sameHash,
} from '../../src/ike-responder/informational.js';
import { phase1Pair } from './support.js';

function decoded(bytes: Buffer): DecodedMessage {
  const message = decodeMessage(bytes);
  if (!message.ok) throw new Error(message.error.text);
  return message.value;
}

describe('Informational exchanges the responder sends', () => {
  it('a refusal goes in clear: one ISAKMP notify with SPI = CKY-I | CKY-R, flags 0', () => {
    const cookies = { initiatorCookie: Buffer.alloc(8, 1), responderCookie: Buffer.alloc(8, 2) };
    const { bytes } = clearNotifyMessage(cookies, 0x1234, NotifyType.NO_PROPOSAL_CHOSEN);
    const message = decoded(bytes);
    expect(message.header).toMatchObject({ exchangeType: ExchangeType.INFORMATIONAL, flags: 0, messageId: 0x1234 });
    expect(message.kind === 'cleartext' && message.payloads).toEqual([
      expect.objectContaining({ type: 'notify', doi: 1, protocolId: ProtocolId.ISAKMP, notifyType: 14, spi: Buffer.concat([cookies.initiatorCookie, cookies.responderCookie]) }),
    ]);
  });

  it('a protected one (HDR*, HASH(1), N) is read and verified by the bundled initiator, on both IV histories', () => {
    for (const encrypt of [false, true]) {
      const { keys, cookies, negotiation, initiatorSa, message3 } = phase1Pair({ encrypt });
      // The responder's chains after message 3: advanced past it only when it was encrypted.
      const chains = encrypt ? { ...negotiation.ivChains, phase1: initiatorSa.ivChains.phase1 } : negotiation.ivChains;
      expect(chains.phase1.block).toEqual(encrypt ? message3.subarray(-8) : negotiation.ivChains.phase1.block);
      const sequence = Buffer.from('0000002a', 'hex');
      const sent = protectedInformationalMessage(keys, chains, cookies, 0x0badcafe, [dpdAcknowledgement(cookies, sequence)]);
      expect(sent.ivChains.exchanges.size).toBe(0);
      const parsed = parseInformational(initiatorSa, sent.bytes);
      expect(parsed).toMatchObject({ ok: true, value: { protected: true, messageId: 0x0badcafe, items: [{ kind: 'r-u-there-ack', sequence: 42 }] } });
    }
  });

  it('a Delete of the ISAKMP SA names protocol ISAKMP and the cookie pair', () => {
    const cookies = { initiatorCookie: Buffer.alloc(8, 1), responderCookie: Buffer.alloc(8, 2) };
    expect(isakmpSaDeletion(cookies)).toMatchObject({ type: 'delete', protocolId: ProtocolId.ISAKMP, spiSize: 16, spis: [isakmpSpi(cookies.initiatorCookie, cookies.responderCookie)] });
  });

  it('M-IDs are never zero (zero belongs to Phase 1)', () => {
    const zerosThenOnes = [Buffer.alloc(4), Buffer.alloc(4), Buffer.from('00000001', 'hex')];
    expect(newMessageId(() => zerosThenOnes.shift()!)).toBe(1);
  });
});

describe('Informational exchanges the responder receives', () => {
  it('verifies the initiator\'s HASH(1) and returns the payloads after it', () => {
    const { keys, negotiation, initiatorSa } = phase1Pair({ encrypt: false });
    const sent = buildInformational(initiatorSa, [{ kind: 'r-u-there', sequence: 7 }], 0x01020304);
    const reading = readProtectedInformational(keys, negotiation.ivChains, decoded(sent.bytes));
    expect(reading).toMatchObject({ ok: true, payloads: [{ type: 'notify', notifyType: NotifyType.R_U_THERE, data: Buffer.from('00000007', 'hex') }] });
  });

  it('refuses it in clear, with a wrong HASH, without HASH first, or undecryptable', () => {
    const { keys, negotiation, initiatorSa, cookies } = phase1Pair({ encrypt: false });
    const clear = clearNotifyMessage(cookies, 9, NotifyType.INITIAL_CONTACT);
    expect(readProtectedInformational(keys, negotiation.ivChains, decoded(clear.bytes))).toMatchObject({ ok: false, problem: 'not-encrypted' });

    const otherKeys = { ...keys, skeyidA: Buffer.alloc(20, 9) };
    const sent = buildInformational(initiatorSa, [{ kind: 'initial-contact' }], 77);
    expect(readProtectedInformational(otherKeys, negotiation.ivChains, decoded(sent.bytes))).toMatchObject({ ok: false, problem: 'hash-mismatch' });

    const noHash = protectedInformationalMessage(keys, negotiation.ivChains, cookies, 78, []);
    const body = decoded(noHash.bytes);
    if (body.kind !== 'encrypted') throw new Error('expected encrypted');
    expect(readProtectedInformational(keys, negotiation.ivChains, { ...body, encryptedBody: body.encryptedBody.subarray(0, 5) })).toMatchObject({ ok: false, problem: 'malformed' });
    expect(readProtectedInformational({ ...keys, encryptionKey: Buffer.alloc(24, 3) }, negotiation.ivChains, decoded(sent.bytes))).toMatchObject({ ok: false });
  });

  it('compares hashes without throwing on a length mismatch', () => {
    expect(sameHash(Buffer.alloc(20, 1), Buffer.alloc(20, 1))).toBe(true);
    expect(sameHash(Buffer.alloc(20, 1), Buffer.alloc(19, 1))).toBe(false);
    expect(sameHash(Buffer.alloc(20, 1), Buffer.alloc(20, 2))).toBe(false);
  });

  it('finds what is asked of this SA: its own Delete, INITIAL-CONTACT, R-U-THERE sequences, keepalive answers, ESP deletes, other notifies', () => {
    const cookies = { initiatorCookie: Buffer.alloc(8, 1), responderCookie: Buffer.alloc(8, 2) };
    const spi = isakmpSpi(cookies.initiatorCookie, cookies.responderCookie);
    const requests = informationalRequests(cookies, [
      notifyPayload({ notifyType: NotifyType.INITIAL_CONTACT, spi }),
      notifyPayload({ notifyType: NotifyType.R_U_THERE, spi, data: Buffer.from('00000005', 'hex') }),
      notifyPayload({ notifyType: NotifyType.R_U_THERE, spi, data: Buffer.from('05', 'hex') }),
      notifyPayload({ notifyType: NotifyType.R_U_THERE_ACK, spi, data: Buffer.from('00000007', 'hex') }),
      heartbeatNotify(cookies, 9),
      deletePayload({ protocolId: ProtocolId.IPSEC_ESP, spis: [Buffer.alloc(4, 1)] }),
      notifyPayload({ notifyType: NotifyType.INVALID_MESSAGE_ID, spi }),
    ]);
    expect(requests).toEqual({
      deletesThisIsakmpSa: false,
      initialContact: true,
      dpdSequences: [Buffer.from('00000005', 'hex')],
      keepaliveAnswers: [
        { kind: 'dpd-ack', sequence: 7 },
        { kind: 'heartbeat', sequence: 9 },
      ],
      espDeletes: [Buffer.alloc(4, 1)],
      otherNotifies: [NotifyType.INVALID_MESSAGE_ID],
    });
    expect(informationalRequests(cookies, [deletePayload({ protocolId: ProtocolId.ISAKMP, spis: [spi] })]).deletesThisIsakmpSa).toBe(true);
    const otherSa = isakmpSpi(cookies.initiatorCookie, Buffer.alloc(8, 3));
    expect(informationalRequests(cookies, [deletePayload({ protocolId: ProtocolId.ISAKMP, spis: [otherSa] })]).deletesThisIsakmpSa).toBe(false);
  });
});
