import { describe, expect, it } from 'vitest';
import { attributePayload, emptyAttribute, encodeMessage, notifyPayload } from '../../src/ike/codec/index.js';
import { CfgType, ExchangeType, ModeCfgAttribute, NotifyType } from '../../src/ike/constants.js';
import { ZERO_PADDING } from '../../src/ike/crypto/index.js';
import { answerTransaction, buildAggressive1, buildAggressive3, openTransaction, processAggressive2, sealTransaction, type IsakmpSa } from '../../src/initiator/index.js';
import { fixedRandomness, phase1Path, seedClientOptions } from './support/fixtures.js';
import { answerAggressive1, openFromInitiator, readAggressive3, sealFromResponder, sealResponderMessage, type TinyResponderSa } from './support/tiny-responder.js';

function establish(): { sa: IsakmpSa; responder: TinyResponderSa } {
  const m1 = buildAggressive1(seedClientOptions(), fixedRandomness);
  const { message2, sa: responder } = answerAggressive1(m1.bytes, { preSharedKey: Buffer.from('PSKEY1'), identity: { kind: 'fqdn', name: 'rtx' } });
  const r2 = processAggressive2(m1.state, message2, phase1Path);
  if (!r2.ok) throw new Error(r2.failure.text);
  const m3 = buildAggressive3(r2.state, { encrypt: true });
  return { sa: m3.state, responder: { ...responder, ivChains: readAggressive3(responder, m3.bytes).ivChains } };
}

const request = attributePayload(CfgType.REQUEST, [emptyAttribute(ModeCfgAttribute.XAUTH_USER_NAME)], 3);

describe('Transaction exchange', () => {
  it('answers in the M-ID of the message it opened, on that exchange\'s IV chain, then forgets the chain', () => {
    const { sa, responder } = establish();
    const sent = sealResponderMessage(responder, responder.ivChains, ExchangeType.TRANSACTION, 0x4242, [request]);
    const opened = openTransaction(sa, sent.bytes);
    if (!opened.ok) throw new Error(opened.failure.text);
    expect(opened.value).toMatchObject({ messageId: 0x4242, attributes: { cfgType: CfgType.REQUEST, identifier: 3 } });
    const answer = answerTransaction(opened.value, attributePayload(CfgType.REPLY, []), ZERO_PADDING);
    const read = openFromInitiator(responder, sent.ivChains, answer.bytes);
    expect(read.hashVerifies).toBe(true);
    expect(read.header).toMatchObject({ exchangeType: ExchangeType.TRANSACTION, messageId: 0x4242, flags: 1 });
    expect(answer.sa.ivChains.exchanges.has(0x4242)).toBe(false);
  });

  it('starts a new M-ID from the Phase 1 block, which the responder can open', () => {
    const { sa, responder } = establish();
    const sealed = sealTransaction(sa, 0x77, request, ZERO_PADDING);
    expect(openFromInitiator(responder, responder.ivChains, sealed.bytes).hashVerifies).toBe(true);
    expect(sealed.sa.ivChains.exchanges.has(0x77)).toBe(true);
  });

  it.each([
    ['a tampered HASH', (responder: TinyResponderSa) => sealFromResponder(responder, responder.ivChains, ExchangeType.TRANSACTION, 9, [request], true), 'hash-mismatch'],
    ['an Informational', (responder: TinyResponderSa) => sealFromResponder(responder, responder.ivChains, ExchangeType.INFORMATIONAL, 9, [notifyPayload({ notifyType: NotifyType.R_U_THERE })]), 'not-transaction'],
    ['no ATTR payload', (responder: TinyResponderSa) => sealFromResponder(responder, responder.ivChains, ExchangeType.TRANSACTION, 9, []), 'no-attributes'],
    [
      'a message in clear',
      (responder: TinyResponderSa) =>
        encodeMessage({ initiatorCookie: responder.initiatorCookie, responderCookie: responder.responderCookie, exchangeType: ExchangeType.TRANSACTION, flags: 0, messageId: 9 }, [request]),
      'cleartext',
    ],
  ])('refuses %s', (_name, make, kind) => {
    const { sa, responder } = establish();
    const result = openTransaction(sa, make(responder));
    expect(!result.ok && result.failure.kind).toBe(kind);
  });
});
