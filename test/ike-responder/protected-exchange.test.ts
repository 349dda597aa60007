import { describe, expect, it } from 'vitest';
import { CfgType, ExchangeType } from '../../src/ike/constants.js';
import { attributePayload, encodeMessage } from '../../src/ike/codec/index.js';
import { ZERO_PADDING } from '../../src/ike/crypto/index.js';
import { openTransaction, sealTransaction } from '../../src/initiator/index.js';
import { openHashedMessage, sealHashedMessage } from '../../src/ike-responder/protected-exchange.js';
import { decoded, establishedPair } from './support.js';

describe('messages under the established ISAKMP SA', () => {
  it('what the responder seals the initiator opens: HASH over M-ID | payloads, IV fresh from the Phase 1 block', () => {
    const { established, ivChains, initiatorSa } = establishedPair();
    const sealed = sealHashedMessage(established, ivChains, { exchangeType: ExchangeType.TRANSACTION, messageId: 0x11223344 }, [attributePayload(CfgType.SET, [])]);
    const opened = openTransaction(initiatorSa, sealed.bytes);
    expect(opened.ok && opened.value.attributes.cfgType).toBe(CfgType.SET);
    // The chain of that M-ID moved past the message; the Phase 1 block did not.
    expect(sealed.ivChains.exchanges.has(0x11223344)).toBe(true);
    expect(sealed.ivChains.phase1.block).toEqual(ivChains.phase1.block);
  });

  it('what the initiator seals the responder opens, and a wrong HASH or a clear message is refused', () => {
    const { established, ivChains, initiatorSa } = establishedPair({ encrypt: false });
    const sealed = sealTransaction(initiatorSa, 0x55667788, attributePayload(CfgType.REQUEST, []), ZERO_PADDING);
    const opened = openHashedMessage(established, ivChains, decoded(sealed.bytes));
    expect(opened).toMatchObject({ ok: true, payloads: [{ type: 'attributes', cfgType: CfgType.REQUEST }], allPayloads: [{ type: 'hash' }, { type: 'attributes' }] });
    expect(openHashedMessage(established, ivChains, decoded(sealed.bytes), () => Buffer.alloc(20))).toMatchObject({ ok: false, problem: 'hash-mismatch' });
    const clear = encodeMessage({ ...established.cookies, exchangeType: ExchangeType.TRANSACTION, flags: 0, messageId: 0x55667788 }, [attributePayload(CfgType.REQUEST, [])]);
    expect(openHashedMessage(established, ivChains, decoded(clear))).toMatchObject({ ok: false, problem: 'not-encrypted' });
  });
});
