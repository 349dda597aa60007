import { describe, expect, it } from 'vitest';
import { deliveriesUnder, impairActions, withLastByteInverted, withResponderCookie } from '../../../src/router/impair/impair-decision.js';
import { Impairer } from '../../../src/router/impair/impairer.js';
import { parseImpairRule, type ImpairRule } from '../../../src/router/impair/impair-rule.js';
import { ExchangeType } from '../../../src/ike/constants.js';

function rules(...texts: string[]): ImpairRule[] {
  return texts.map((text) => {
    const parsed = parseImpairRule(text);
    if (!parsed.ok) throw new Error(parsed.error);
    return parsed.rule;
  });
}

/** An ISAKMP header (28 bytes) and a 4-byte body. */
function ikeDatagram(initiatorCookie: number, responderCookie: number, exchangeType: number, messageId = 0): Buffer {
  const bytes = Buffer.alloc(32);
  bytes.writeBigUInt64BE(BigInt(initiatorCookie), 0);
  bytes.writeBigUInt64BE(BigInt(responderCookie), 8);
  bytes[17] = 0x10;
  bytes[18] = exchangeType;
  bytes.writeUInt32BE(messageId, 20);
  bytes.writeUInt32BE(32, 24);
  bytes.writeUInt32BE(0xa1b2c3d4, 28);
  return bytes;
}

describe('impair decision (pure)', () => {
  it('a rule acts on the datagram of its direction, exchange and ordinal only', () => {
    const drop = rules('drop:out:quick:2');
    expect(impairActions(drop, { direction: 'out', exchange: 'quick', messageId: 7, ordinal: 2 })).toEqual([{ kind: 'drop' }]);
    expect(impairActions(drop, { direction: 'out', exchange: 'quick', messageId: 7, ordinal: 1 })).toEqual([]);
    expect(impairActions(drop, { direction: 'out', exchange: 'quick', messageId: 7, ordinal: 3 })).toEqual([]);
    expect(impairActions(drop, { direction: 'in', exchange: 'quick', messageId: 7, ordinal: 2 })).toEqual([]);
    expect(impairActions(drop, { direction: 'out', exchange: 'transaction', messageId: 7, ordinal: 2 })).toEqual([]);
    expect(impairActions(drop, { direction: 'out', exchange: undefined, messageId: 0, ordinal: 2 })).toEqual([]);
  });

  it('N+ acts on the Nth and every later one', () => {
    const from2 = rules('duplicate:in:aggressive:2+');
    expect([1, 2, 3, 50].map((ordinal) => impairActions(from2, { direction: 'in', exchange: 'aggressive', messageId: 0, ordinal }).length)).toEqual([0, 1, 1, 1]);
  });

  it('withhold-mode-cfg-set never acts on the wire', () => {
    expect(impairActions(rules('withhold-mode-cfg-set'), { direction: 'out', exchange: 'transaction', messageId: 1, ordinal: 3 })).toEqual([]);
  });

  it('a drop wins; otherwise the copy is changed, held back by the longest delay and sent as often as asked', () => {
    const bytes = Buffer.from('00112233', 'hex');
    const stale = () => Buffer.alloc(8);
    expect(deliveriesUnder([{ kind: 'duplicate' }, { kind: 'drop' }], bytes, stale)).toEqual([]);
    const delivered = deliveriesUnder([{ kind: 'delay', delayMs: 100 }, { kind: 'corrupt' }, { kind: 'delay', delayMs: 300 }, { kind: 'duplicate' }], bytes, stale);
    expect(delivered.map((copy) => [copy.bytes.toString('hex'), copy.delayMs])).toEqual([
      ['001122cc', 300],
      ['001122cc', 300],
    ]);
    expect(bytes.toString('hex')).toBe('00112233'); // the original is never changed
  });

  it('corrupt inverts the last byte; stale-cookie replaces only the responder cookie', () => {
    expect(withLastByteInverted(Buffer.from('0a0b', 'hex')).toString('hex')).toBe('0af4');
    const datagram = ikeDatagram(1, 2, ExchangeType.AGGRESSIVE);
    const replaced = withResponderCookie(datagram, Buffer.from('ffffffffffffffff', 'hex'));
    expect(replaced.subarray(8, 16).toString('hex')).toBe('ffffffffffffffff');
    expect(Buffer.concat([replaced.subarray(0, 8), replaced.subarray(16)])).toEqual(Buffer.concat([datagram.subarray(0, 8), datagram.subarray(16)]));
  });
});

describe('Impairer: ordinals per ISAKMP SA', () => {
  it('counts each SA, exchange type and direction on its own, resends included, so a rule hits every connection', () => {
    const impairer = new Impairer(rules('drop:out:aggressive:2'));
    const sendsOf = (cookie: number) => [1, 2, 3].map(() => impairer.outbound(ikeDatagram(cookie, 0x99, ExchangeType.AGGRESSIVE)).length);
    expect(sendsOf(1)).toEqual([1, 0, 1]);
    expect(sendsOf(2)).toEqual([1, 0, 1]);
    // Received datagrams and other exchanges have their own counts.
    expect(impairer.inbound(ikeDatagram(3, 0, ExchangeType.AGGRESSIVE)).deliveries).toHaveLength(1);
    expect(impairer.outbound(ikeDatagram(3, 0x99, ExchangeType.TRANSACTION, 5))).toHaveLength(1);
    expect(impairer.outbound(ikeDatagram(3, 0x99, ExchangeType.AGGRESSIVE))).toHaveLength(1);
    expect(impairer.outbound(ikeDatagram(3, 0x99, ExchangeType.AGGRESSIVE))).toHaveLength(0);
  });

  it('a stale cookie is the responder cookie of the SA before; before any, this one inverted', () => {
    const impairer = new Impairer(rules('stale-cookie:out:transaction:1'));
    const first = impairer.outbound(ikeDatagram(1, 0x1111, ExchangeType.TRANSACTION, 9));
    expect(first[0]!.bytes.readBigUInt64BE(8)).toBe(~BigInt(0x1111) & 0xffffffffffffffffn);
    const second = impairer.outbound(ikeDatagram(2, 0x2222, ExchangeType.TRANSACTION, 9));
    expect(second[0]!.bytes.readBigUInt64BE(8)).toBe(BigInt(0x1111));
  });

  it('answer-twice is reported for the received datagram it names', () => {
    const impairer = new Impairer(rules('answer-twice:quick:1'));
    expect(impairer.inbound(ikeDatagram(1, 2, ExchangeType.QUICK_MODE, 4)).answerTwice).toBe(true);
    expect(impairer.inbound(ikeDatagram(1, 2, ExchangeType.QUICK_MODE, 4)).answerTwice).toBe(false);
  });

  it('datagrams that are not IKE pass untouched', () => {
    const impairer = new Impairer(rules('drop:in:aggressive:1+'));
    expect(impairer.inbound(Buffer.from('garbage')).deliveries).toHaveLength(1);
  });
});
