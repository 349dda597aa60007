import { describe, expect, it } from 'vitest';
import { deletePayload, encodeMessage, notifyPayload } from '../../src/ike/codec/index.js';
import { ExchangeType, NotifyType, ProtocolId } from '../../src/ike/constants.js';
import {
  buildAggressive1,
  buildAggressive3,
  buildInformational,
  parseInformational,
  processAggressive2,
  type IsakmpSa,
} from '../../src/initiator/index.js';
import { fixedRandomness, phase1Path, seedClientOptions } from './support/fixtures.js';
import { answerAggressive1, openFromInitiator, readAggressive3, sealFromResponder, type TinyResponderSa } from './support/tiny-responder.js';

function establish(encryptMessage3: boolean): { sa: IsakmpSa; responder: TinyResponderSa } {
  const m1 = buildAggressive1(seedClientOptions(), fixedRandomness);
  const { message2, sa: responder } = answerAggressive1(m1.bytes, { preSharedKey: Buffer.from('PSKEY1'), identity: { kind: 'fqdn', name: 'rtx' } });
  const r2 = processAggressive2(m1.state, message2, phase1Path);
  if (!r2.ok) throw new Error(r2.failure.text);
  const m3 = buildAggressive3(r2.state, { encrypt: encryptMessage3 });
  // The responder's chains after message 3: moved only if it was encrypted.
  return { sa: m3.state, responder: { ...responder, ivChains: readAggressive3(responder, m3.bytes).ivChains } };
}

describe.each([false, true])('Informational exchanges (message 3 encrypted: %s)', (encryptMessage3) => {
  it('sends R-U-THERE that the responder decrypts on a fresh M-ID IV and whose HASH verifies', () => {
    const { sa, responder } = establish(encryptMessage3);
    const sent = buildInformational(sa, [{ kind: 'r-u-there', sequence: 7 }], 0x11223344);
    const opened = openFromInitiator(responder, responder.ivChains, sent.bytes);
    expect(opened.hashVerifies).toBe(true);
    expect(opened.header).toMatchObject({ exchangeType: ExchangeType.INFORMATIONAL, messageId: 0x11223344, flags: 1 });
    expect(opened.payloads[1]).toMatchObject({ type: 'notify', notifyType: NotifyType.R_U_THERE, protocolId: ProtocolId.ISAKMP, data: Buffer.from([0, 0, 0, 7]) });
    expect(sent.sa.ivChains).toEqual(sa.ivChains);
  });

  it('reads the responder\'s R-U-THERE-ACK', () => {
    const { sa, responder } = establish(encryptMessage3);
    const spi = Buffer.concat([sa.initiatorCookie, sa.responderCookie]);
    const ack = sealFromResponder(responder, responder.ivChains, ExchangeType.INFORMATIONAL, 0x0badcafe, [
      notifyPayload({ notifyType: NotifyType.R_U_THERE_ACK, spi, data: Buffer.from([0, 0, 0, 7]) }),
    ]);
    const parsed = parseInformational(sa, ack);
    if (!parsed.ok) throw new Error(parsed.failure.text);
    expect(parsed.value).toMatchObject({ messageId: 0x0badcafe, protected: true, items: [{ kind: 'r-u-there-ack', sequence: 7 }] });
  });

  it('recognises a Delete of this ISAKMP SA', () => {
    const { sa, responder } = establish(encryptMessage3);
    const spi = Buffer.concat([sa.initiatorCookie, sa.responderCookie]);
    const deletion = sealFromResponder(responder, responder.ivChains, ExchangeType.INFORMATIONAL, 5, [deletePayload({ protocolId: ProtocolId.ISAKMP, spis: [spi] })]);
    const parsed = parseInformational(sa, deletion);
    expect(parsed.ok && parsed.value.items.map((item) => item.kind)).toEqual(['delete-isakmp-sa']);
  });
});

describe('parseInformational refusals', () => {
  it('refuses a message whose HASH does not verify', () => {
    const { sa, responder } = establish(true);
    const forged = sealFromResponder(responder, responder.ivChains, ExchangeType.INFORMATIONAL, 9, [notifyPayload({ notifyType: NotifyType.R_U_THERE })], true);
    const parsed = parseInformational(sa, forged);
    expect(!parsed.ok && parsed.failure.kind).toBe('hash-mismatch');
  });

  it('cannot read a message encrypted on the wrong chain (message 3 clear here, encrypted there)', () => {
    const clear = establish(false);
    const encrypted = establish(true);
    const message = sealFromResponder(encrypted.responder, encrypted.responder.ivChains, ExchangeType.INFORMATIONAL, 9, [notifyPayload({ notifyType: NotifyType.R_U_THERE, data: Buffer.alloc(4) })]);
    const parsed = parseInformational(clear.sa, message);
    expect(parsed.ok).toBe(false);
  });

  it('reads a cleartext notify but marks it unprotected', () => {
    const { sa } = establish(false);
    const clear = encodeMessage(
      { initiatorCookie: sa.initiatorCookie, responderCookie: sa.responderCookie, exchangeType: ExchangeType.INFORMATIONAL, flags: 0, messageId: 3 },
      [notifyPayload({ notifyType: NotifyType.PAYLOAD_MALFORMED })],
    );
    const parsed = parseInformational(sa, clear);
    expect(parsed.ok && parsed.value).toMatchObject({ protected: false, items: [{ kind: 'notify', notifyType: 16, name: 'PAYLOAD-MALFORMED' }] });
  });

  it('ignores other SAs\' messages and refuses other exchanges', () => {
    const { sa, responder } = establish(true);
    const transaction = sealFromResponder(responder, responder.ivChains, ExchangeType.TRANSACTION, 9, [notifyPayload({ notifyType: 1 })]);
    const parsed = parseInformational(sa, transaction);
    expect(!parsed.ok && parsed.failure.kind).toBe('not-informational');
    const foreign = Buffer.concat([Buffer.alloc(8, 1), transaction.subarray(8)]);
    const other = parseInformational(sa, foreign);
    expect(!other.ok && other.failure.kind).toBe('foreign-message');
  });
});
