import { describe, expect, it } from 'vitest';
import { LadderBook, type LadderEvent } from '../../src/web/ladder.js';
import type { DecodedIkeMessage, DecodedPayload } from '../../src/router/rtx-router-api.js';

const ICOOKIE = '9b38627e0ffc258a';
const RCOOKIE = '63b84a60477e5c64';
const ZERO = '0000000000000000';
const PEER = { address: '192.0.2.10', port: 500 };

let clock = 1_000;
function message(
  direction: 'in' | 'out',
  exchange: string,
  messageId: number,
  payloads: DecodedPayload[],
  overrides: Partial<DecodedIkeMessage> = {},
): LadderEvent {
  clock += 10;
  return {
    type: 'ike-message',
    message: {
      direction,
      time: clock,
      peer: PEER,
      cookies: { initiator: ICOOKIE, responder: direction === 'in' && exchange === 'AGGRESSIVE' && messageId === 0 && payloads.some((p) => p.name === 'KE') ? ZERO : RCOOKIE },
      exchange,
      messageId,
      encrypted: exchange !== 'AGGRESSIVE',
      payloads,
      retransmission: false,
      ...overrides,
    },
  };
}

function log(messageText: string): LadderEvent {
  clock += 1;
  return { type: 'log', entry: { time: clock, level: 'info', message: messageText, line: `2026/12/05 10:00:00: ${messageText}` } };
}

const xauthRequest = (id: number) => message('out', 'TRANSACTION', id, [{ name: 'HASH' }, { name: 'ATTR', detail: 'REQUEST XAUTH-TYPE=0 XAUTH-USER-NAME XAUTH-USER-PASSWORD' }]);
const xauthReply = (id: number) =>
  message('in', 'TRANSACTION', id, [{ name: 'HASH' }, { name: 'ATTR', detail: 'REPLY XAUTH-TYPE=0 XAUTH-USER-NAME="user1" XAUTH-USER-PASSWORD=***' }]);

/** A remote-access client's whole negotiation as the router reports it (yms-vpn1 against the seed). */
function fullNegotiation(): LadderEvent[] {
  return [
    message('in', 'AGGRESSIVE', 0, [{ name: 'SA' }, { name: 'KE' }, { name: 'NONCE' }, { name: 'ID', detail: 'FQDN myid' }]),
    message('out', 'AGGRESSIVE', 0, [{ name: 'SA' }, { name: 'KE' }, { name: 'NONCE' }, { name: 'ID' }, { name: 'HASH' }]),
    message('in', 'AGGRESSIVE', 0, [{ name: 'HASH' }]),
    xauthRequest(0x11),
    xauthReply(0x11),
    message('out', 'TRANSACTION', 0x22, [{ name: 'HASH' }, { name: 'ATTR', detail: 'SET XAUTH-STATUS=1' }]),
    message('in', 'TRANSACTION', 0x22, [{ name: 'HASH' }, { name: 'ATTR', detail: 'ACK XAUTH-STATUS' }]),
    { type: 'xauth', peer: PEER, cookies: { initiator: ICOOKIE, responder: RCOOKIE }, user: 'user1', ok: true },
    message('out', 'TRANSACTION', 0x33, [{ name: 'HASH' }, { name: 'ATTR', detail: 'SET INTERNAL-IP4-ADDRESS=10.1.1.110' }]),
    message('in', 'TRANSACTION', 0x33, [{ name: 'HASH' }, { name: 'ATTR', detail: 'ACK INTERNAL-IP4-ADDRESS' }]),
    message('in', 'QUICK-MODE', 0xf3f8a000, [{ name: 'HASH' }, { name: 'SA' }, { name: 'NONCE' }, { name: 'ID' }, { name: 'ID' }]),
    message('out', 'QUICK-MODE', 0xf3f8a000, [{ name: 'HASH' }, { name: 'SA' }, { name: 'NONCE' }, { name: 'ID' }, { name: 'ID' }]),
    message('in', 'QUICK-MODE', 0xf3f8a000, [{ name: 'HASH' }]),
  ];
}

const ipsecSaUp: LadderEvent = {
  type: 'ipsec-sa-up',
  sa: {
    tunnelId: 1,
    gatewayId: 1,
    peer: PEER,
    inboundSpi: '0a0b0c0d',
    outboundSpi: '01020304',
    encryption: 'aes128-cbc',
    integrity: 'hmac-sha1-96',
    udpEncapsulated: true,
    lifeSeconds: 28800,
  },
};

function book(events: readonly LadderEvent[]): LadderBook {
  const ladders = new LadderBook();
  for (const event of events) ladders.apply(event);
  return ladders;
}

describe('the ladder of one client', () => {
  it('labels a site-to-site Main Mode negotiation MM 1-6 then QM 1-3, in one ladder from message 1 on', () => {
    const zero = { cookies: { initiator: ICOOKIE, responder: ZERO } };
    const mainMode = (direction: 'in' | 'out', payloads: DecodedPayload[], encrypted = false, overrides: Partial<DecodedIkeMessage> = {}) =>
      message(direction, 'IDENTITY-PROTECTION', 0, payloads, { encrypted, ...overrides });
    const [ladder, ...others] = book([
      mainMode('in', [{ name: 'SA' }], false, zero),
      mainMode('out', [{ name: 'SA' }]),
      mainMode('in', [{ name: 'KE' }, { name: 'NONCE' }]),
      mainMode('out', [{ name: 'KE' }, { name: 'NONCE' }]),
      mainMode('in', [{ name: 'ID', detail: 'IPV4_ADDR 192.0.2.10' }, { name: 'HASH' }], true),
      mainMode('out', [{ name: 'ID' }, { name: 'HASH' }], true),
      message('in', 'QUICK-MODE', 0x5e1f0000, [{ name: 'HASH' }, { name: 'SA' }, { name: 'NONCE' }, { name: 'ID' }, { name: 'ID' }]),
      message('out', 'QUICK-MODE', 0x5e1f0000, [{ name: 'HASH' }, { name: 'SA' }, { name: 'NONCE' }, { name: 'ID' }, { name: 'ID' }]),
      message('in', 'QUICK-MODE', 0x5e1f0000, [{ name: 'HASH' }]),
    ]).views();
    expect(others).toEqual([]);
    expect(ladder?.rungs.map((rung) => `${rung.direction} ${rung.label}`)).toEqual(['in MM 1', 'out MM 2', 'in MM 3', 'out MM 4', 'in MM 5', 'out MM 6', 'in QM 1', 'out QM 2', 'in QM 3']);
  });

  it('labels each message by its place: AM 1-3, XAUTH and mode-cfg Transactions by their attributes, QM 1-3', () => {
    const [ladder] = book(fullNegotiation()).views();
    expect(ladder?.rungs.map((rung) => `${rung.direction} ${rung.label}`)).toEqual([
      'in AM 1',
      'out AM 2',
      'in AM 3',
      'out XAUTH REQUEST',
      'in XAUTH REPLY',
      'out XAUTH SET',
      'in XAUTH ACK',
      'out mode-cfg SET',
      'in mode-cfg ACK',
      'in QM 1',
      'out QM 2',
      'in QM 3',
    ]);
  });

  it('is one ladder per ISAKMP SA, named by both cookies once the responder has chosen its own', () => {
    const views = book(fullNegotiation()).views();
    expect(views).toHaveLength(1);
    expect(views[0]?.id).toBe(`${ICOOKIE}:${RCOOKIE}`);
    expect(views[0]?.peer).toBe('192.0.2.10:500');
  });

  it('carries the M-ID as 8 hex digits and the decoded payloads, with the XAUTH password masked as the router gave it', () => {
    const [ladder] = book(fullNegotiation()).views();
    const reply = ladder?.rungs.find((rung) => rung.label === 'XAUTH REPLY');
    expect(reply?.messageId).toBe('00000011');
    expect(reply?.payloads.find((payload) => payload.name === 'ATTR')?.detail).toContain('XAUTH-USER-PASSWORD=***');
  });

  it('marks a retransmission and gives it the label of the message it repeats', () => {
    const events = [...fullNegotiation().slice(0, 4), message('out', 'TRANSACTION', 0x11, [{ name: 'HASH' }, { name: 'ATTR', detail: 'REQUEST XAUTH-TYPE=0' }], { retransmission: true })];
    const rungs = book(events).views()[0]?.rungs ?? [];
    expect(rungs.slice(-2).map((rung) => [rung.label, rung.retransmission])).toEqual([
      ['XAUTH REQUEST', false],
      ['XAUTH REQUEST', true],
    ]);
  });

  it('is established once an IPsec SA pair comes up for its peer, and then shows no stopping point', () => {
    const [ladder] = book([...fullNegotiation(), ipsecSaUp]).views();
    expect(ladder?.outcome).toBe('established');
    expect(ladder?.stop).toBeUndefined();
  });

  it('stops at the last message with the router\'s refusal line when XAUTH is refused', () => {
    const events = [
      ...fullNegotiation().slice(0, 5),
      log('[IKE] ISAKMP SA established with 192.0.2.10 (gateway 1, message 3 in clear)'),
      log('[IKE] XAUTH user user1 refused: wrong password (192.0.2.10)'),
      message('out', 'TRANSACTION', 0x22, [{ name: 'HASH' }, { name: 'ATTR', detail: 'SET XAUTH-STATUS=0' }]),
      { type: 'xauth', peer: PEER, cookies: { initiator: ICOOKIE, responder: RCOOKIE }, user: 'user1', ok: false, reason: 'wrong password' } as const,
    ];
    const [ladder] = book(events).views();
    expect(ladder?.outcome).toBe('failed');
    expect(ladder?.stop?.lastRung).toBe(5);
    expect(ladder?.rungs[5]?.payloads[1]?.detail).toBe('SET XAUTH-STATUS=0');
    expect(ladder?.stop?.decisiveLine).toBe('[IKE] XAUTH user user1 refused: wrong password (192.0.2.10)');
  });

  it('takes its decisive line only from lines about its own peer address', () => {
    const events = [
      fullNegotiation()[0]!,
      log('[IKE] no proposal chosen (192.0.2.100)'),
      log('[IKE] respond ISAKMP phase to 192.0.2.10'),
    ];
    expect(book(events).views()[0]?.stop?.decisiveLine).toBe('[IKE] respond ISAKMP phase to 192.0.2.10');
  });

  it('is failed when its ISAKMP SA goes before any IPsec SA, closed when it goes after', () => {
    const down = (reason: 'deleted' | 'failed'): LadderEvent => ({ type: 'isakmp-sa-down', peer: PEER, cookies: { initiator: ICOOKIE, responder: RCOOKIE }, number: 1, reason });
    expect(book([...fullNegotiation().slice(0, 3), down('deleted')]).views()[0]?.outcome).toBe('failed');
    expect(book([...fullNegotiation(), ipsecSaUp, down('deleted')]).views()[0]?.outcome).toBe('closed');
  });

  it('keeps only the newest ladders', () => {
    const ladders = new LadderBook({ ladders: 2, rungsPerLadder: 10, logLines: 10 });
    for (const initiator of ['01', '02', '03']) {
      const first = fullNegotiation()[0] as Extract<LadderEvent, { type: 'ike-message' }>;
      ladders.apply({ ...first, message: { ...first.message, cookies: { initiator: initiator.repeat(8), responder: ZERO } } });
    }
    expect(ladders.views().map((ladder) => ladder.initiatorCookie)).toEqual(['02'.repeat(8), '03'.repeat(8)]);
  });
});

describe('the ladder and the log', () => {
  it('changes with a log line only when the line names the peer of a ladder not yet established', () => {
    const ladders = book([fullNegotiation()[0]!]);
    expect(ladders.apply(log('[IKE] respond ISAKMP phase to 192.0.2.100'))).toBe(false);
    expect(ladders.apply(log('[IKE] respond ISAKMP phase to 192.0.2.1'))).toBe(false);
    expect(ladders.apply(log('[IKE] respond ISAKMP phase to 192.0.2.10'))).toBe(true);
    expect(ladders.apply(log('[IKE] HASH mismatch, pre-shared key may differ (192.0.2.10)'))).toBe(true);
    expect(ladders.apply(log('[IKE] old ISAKMP SA with 192.0.2.100 removed, new one from 192.0.2.10'))).toBe(true);
  });
});
