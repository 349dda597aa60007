import { describe, expect, it } from 'vitest';
import { DropLogLimiter } from '../../src/ike-responder/drop-log-limiter.js';
import { ikeLog } from '../../src/ike-responder/log-lines.js';
import { encodeMessage, vendorIdPayload } from '../../src/ike/codec/index.js';
import { ExchangeType } from '../../src/ike/constants.js';
import { T0, inbound, logLines, newResponder } from './support.js';

const garbage = (n: number) => ikeLog.payloadMalformed('203.0.113.9', `garbage ${n}`);

describe('the per-peer limit on drop lines', () => {
  it('writes a peer\'s quota per window, counts the rest, and says how many when the next window opens', () => {
    const limiter = new DropLogLimiter({ linesPerWindow: 3, windowMs: 1_000, maxPeers: 10 });
    const first = Array.from({ length: 100 }, (_, n) => limiter.admit('203.0.113.9', garbage(n), T0 + n));
    expect(first.flat().map((line) => line.message)).toEqual([0, 1, 2].map((n) => garbage(n).message));
    expect(limiter.admit('203.0.113.9', garbage(100), T0 + 1_000).map((line) => line.message)).toEqual([
      '[IKE] 97 more lines about dropped messages from 203.0.113.9 not logged (at most a few per 1 s)',
      garbage(100).message,
    ]);
  });

  it('another peer has its own quota, and the peers remembered stay bounded', () => {
    const limiter = new DropLogLimiter({ linesPerWindow: 1, windowMs: 1_000, maxPeers: 4 });
    for (let n = 0; n < 5; n++) limiter.admit('203.0.113.9', garbage(n), T0);
    expect(limiter.admit('198.51.100.1', ikeLog.payloadMalformed('198.51.100.1', 'x'), T0)).toHaveLength(1);
    for (let n = 0; n < 1_000; n++) limiter.admit(`10.0.${n >> 8}.${n & 255}`, garbage(n), T0);
    expect(limiter.peersRemembered).toBe(4);
  });
});

describe('one datagram, whatever it holds: bounded payloads parsed and log lines written', () => {
  it('a 64 KB message 1 of 16,000 empty payloads, with every debug log on: one line', () => {
    const responder = newResponder(undefined, { syslogDebug: true });
    const flood = encodeMessage(
      { initiatorCookie: Buffer.alloc(8, 7), responderCookie: Buffer.alloc(8), exchangeType: ExchangeType.AGGRESSIVE, flags: 0, messageId: 0 },
      Array.from({ length: 16_000 }, () => vendorIdPayload(Buffer.alloc(0))),
    );
    const lines = logLines(responder.receive(inbound(flood), T0));
    expect(lines).toEqual(['[IKE] payload malformed (192.0.2.132): more than 256 payloads in one message']);
  });

  it('1,000 such datagrams from one peer in a minute: its quota of lines, then one line saying how many were not', () => {
    const responder = newResponder(undefined, { syslogDebug: true });
    let written = 0;
    for (let n = 0; n < 1_000; n++) written += logLines(responder.receive(inbound(Buffer.from('not ike at all, long enough to be looked at')), T0 + n * 50)).length;
    expect(written).toBe(10);
    const next = logLines(responder.receive(inbound(Buffer.from('still not ike, a minute later, in a new window')), T0 + 60_000));
    expect(next).toEqual(['[IKE] 990 more lines about dropped messages from 192.0.2.132 not logged (at most a few per 60 s)', expect.stringContaining('[IKE] not an ISAKMP message from 192.0.2.132')]);
  });
});
