import { describe, expect, it } from 'vitest';
import { ExchangeType } from '../../src/ike/constants.js';
import { decodeMessage, encodeMessage } from '../../src/ike/codec/index.js';
import { buildAggressive3, buildInformational, parseInformational, processAggressive2, SEED_PROPOSAL } from '../../src/initiator/index.js';
import {
  CLIENT,
  CLIENT_NATT,
  ROUTER,
  T0,
  clientMessage1,
  establish,
  exchange12,
  inbound,
  logLines,
  newResponder,
  onlySend,
  seedGateway,
  sends,
} from './support.js';

const MALFORMED_LINE = '[IKE] payload malformed : no message (192.0.2.132)';

describe('RtxIkeResponder: Aggressive Mode and the payload type rules, datagram in, effects out', () => {
  it('accepts a cleartext message 3 under payload type 2 and keeps the established SA', () => {
    const responder = newResponder([seedGateway({ payloadType: 2 })]);
    const { effects, sa } = establish(responder, { message3: { encrypt: false } });
    expect(logLines(effects)).toEqual([]);
    expect(responder.isakmpSas()).toEqual([
      expect.objectContaining({ state: 'established', gatewayId: 1, peer: CLIENT, message3Encrypted: false, initiatorCookie: sa.initiatorCookie }),
    ]);
    expect(responder.tableSizes()).toMatchObject({ isakmpSas: 1, halfOpen: 0 });
  });

  it('refuses an encrypted message 3 under payload type 2 with the seed\'s log line and keeps nothing', () => {
    const responder = newResponder([seedGateway({ payloadType: 2 })]);
    const { effects } = establish(responder, { message3: { encrypt: true } });
    expect(logLines(effects)).toContain(MALFORMED_LINE);
    expect(responder.isakmpSas()).toEqual([]);
    expect(responder.nextDeadline()).toBeUndefined();
  });

  it('accepts the same encrypted message 3 under `ipsec ike payload type 1 3`', () => {
    const responder = newResponder([seedGateway({ payloadType: 3 })]);
    const { effects } = establish(responder, { message3: { encrypt: true } });
    expect(logLines(effects)).toEqual([]);
    expect(responder.isakmpSas()).toEqual([expect.objectContaining({ state: 'established', message3Encrypted: true })]);
  });

  it('refuses a wrong HASH_I (another pre-shared key at the client) with a log line and keeps nothing', () => {
    const responder = newResponder();
    const { aggressive2 } = exchange12(responder, { client: { preSharedKey: Buffer.from('WRONGKEY') }, allowHashRMismatch: true });
    const effects = responder.receive(inbound(buildAggressive3(aggressive2, { encrypt: false }).bytes), T0 + 100);
    expect(logLines(effects)).toEqual(['[IKE] HASH mismatch, pre-shared key may differ (192.0.2.132)']);
    expect(responder.isakmpSas()).toEqual([]);
  });

  it('logs `respond ISAKMP phase to <ip>` and writes the SA\'s keys when it answers message 1', () => {
    const responder = newResponder();
    const { effects } = exchange12(responder);
    expect(logLines(effects)).toEqual(['[IKE] respond ISAKMP phase to 192.0.2.132']);
    const keys = effects.filter((effect) => effect.kind === 'ike-keys');
    expect(keys).toHaveLength(1);
    const [sa] = responder.isakmpSas();
    expect(keys[0]).toMatchObject({ initiatorCookie: sa!.initiatorCookie });
    expect(keys[0]!.kind === 'ike-keys' && keys[0]!.encryptionKey).toHaveLength(24);
  });

  it('refuses an unknown ID and an unacceptable proposal, keeping nothing', () => {
    const responder = newResponder();
    const stranger = responder.receive(inbound(clientMessage1({ identity: { kind: 'fqdn', name: 'stranger' } }).bytes), T0);
    expect(logLines(stranger)).toEqual(['[IKE] no gateway for ID "stranger" (192.0.2.132)']);
    const md5Only = responder.receive(inbound(clientMessage1({ proposals: [{ ...SEED_PROPOSAL, hash: 'sha256' }] }).bytes), T0);
    expect(logLines(md5Only)).toEqual(['[IKE] no proposal chosen (192.0.2.132)']);
    // Both answered in clear to the sender, and nothing kept.
    expect(sends([...stranger, ...md5Only]).map((effect) => effect.to)).toEqual([CLIENT, CLIENT]);
    expect(responder.tableSizes()).toMatchObject({ isakmpSas: 0, halfOpen: 0 });
  });

  it('answers a repeated message 1 with the same message 2 and keeps one SA', () => {
    const responder = newResponder();
    const { bytes } = clientMessage1();
    const first = onlySend(responder.receive(inbound(bytes), T0));
    const second = onlySend(responder.receive(inbound(bytes), T0 + 2_000));
    expect(second.bytes).toEqual(first.bytes);
    expect(responder.tableSizes()).toMatchObject({ isakmpSas: 1, halfOpen: 1 });
  });

  it('treats the same initiator cookie from another port as another negotiation', () => {
    const responder = newResponder();
    const { bytes } = clientMessage1();
    responder.receive(inbound(bytes), T0);
    responder.receive(inbound(bytes, { address: CLIENT.address, port: 501 }), T0);
    expect(responder.tableSizes()).toMatchObject({ isakmpSas: 2, halfOpen: 2 });
  });

  it('expires a half-open SA after the time-out (fake time) and then keeps nothing', () => {
    const responder = newResponder([seedGateway()], { limits: { halfOpenTimeoutMs: 3_000 } });
    exchange12(responder);
    expect(responder.nextDeadline()).toBe(T0 + 3_000);
    expect(responder.tick(T0 + 2_999)).toEqual([]);
    expect(responder.tableSizes().halfOpen).toBe(1);
    expect(logLines(responder.tick(T0 + 3_000))).toEqual(['[IKE] ISAKMP phase with 192.0.2.132 timed out']);
    expect(responder.tableSizes()).toMatchObject({ isakmpSas: 0, halfOpen: 0 });
    expect(responder.nextDeadline()).toBeUndefined();
  });

  it('a message 3 after the half-open time-out finds no SA', () => {
    const responder = newResponder([seedGateway()], { limits: { halfOpenTimeoutMs: 3_000 } });
    const { aggressive2 } = exchange12(responder);
    responder.tick(T0 + 3_000);
    const effects = responder.receive(inbound(buildAggressive3(aggressive2, { encrypt: false }).bytes), T0 + 3_001);
    expect(effects).toEqual([]);
    expect(responder.isakmpSas()).toEqual([]);
  });

  it('its next deadline after establishment (no XAUTH) is the end of the lifetime the initiator proposed', () => {
    const responder = newResponder([seedGateway({ xauth: { request: false } })]);
    establish(responder, { client: { proposals: [{ ...SEED_PROPOSAL, lifeSeconds: 600 }] } });
    expect(responder.nextDeadline()).toBe(T0 + 100 + 600_000);
    const effects = responder.tick(T0 + 100 + 600_000);
    expect(logLines(effects)).toEqual(['[IKE] ISAKMP SA with 192.0.2.132 expired']);
    expect(sends(effects)).toHaveLength(1);
    expect(responder.isakmpSas()).toEqual([]);
  });

  it('accepts message 3 on the NAT-T port and answers there afterwards', () => {
    const responder = newResponder([seedGateway({ payloadType: 3, natTraversal: { enabled: true, keepaliveSeconds: 300, force: false } })]);
    const { bytes, state } = clientMessage1({ vendorIds: ['NAT_T_RFC3947'], natTraversal: 'force' });
    const message2 = onlySend(responder.receive(inbound(bytes), T0));
    const processed = processAggressive2(state, message2.bytes, { local: CLIENT, remote: ROUTER });
    if (!processed.ok) throw new Error(processed.failure.text);
    expect(processed.state.natTraversal).toMatchObject({ method: 'rfc3947', floated: true });
    const message3 = buildAggressive3(processed.state, { encrypt: true }, { local: CLIENT_NATT, remote: { address: ROUTER.address, port: 4500 } });
    // The next message, XAUTH's REQUEST, already goes to the NAT-T port.
    const xauthRequest = onlySend(responder.receive(inbound(message3.bytes, CLIENT_NATT, { natTraversal: true }), T0 + 100));
    expect(xauthRequest).toMatchObject({ to: CLIENT_NATT, natTraversal: true });
    expect(responder.isakmpSas()).toEqual([expect.objectContaining({ state: 'established', peer: CLIENT_NATT })]);
    const dpd = buildInformational(message3.state, [{ kind: 'r-u-there', sequence: 3 }], 0x0a0b0c0d);
    const answer = onlySend(responder.receive(inbound(dpd.bytes, CLIENT_NATT, { natTraversal: true }), T0 + 200));
    expect(answer).toMatchObject({ to: CLIENT_NATT, natTraversal: true });
  });

  it('answers DPD and removes the SA on the peer\'s Delete', () => {
    const responder = newResponder();
    const { sa } = establish(responder);
    const answer = onlySend(responder.receive(inbound(buildInformational(sa, [{ kind: 'r-u-there', sequence: 9 }], 0x01010101).bytes), T0 + 1_000));
    expect(parseInformational(sa, answer.bytes)).toMatchObject({ ok: true, value: { items: [{ kind: 'r-u-there-ack', sequence: 9 }] } });
    const deleted = responder.receive(inbound(buildInformational(sa, [{ kind: 'delete-isakmp-sa' }], 0x02020202).bytes), T0 + 2_000);
    expect(logLines(deleted)).toEqual(['[IKE] ISAKMP SA deleted by 192.0.2.132']);
    expect(responder.isakmpSas()).toEqual([]);
  });

  it('INITIAL-CONTACT removes the older SAs of that peer, not those of other peers', () => {
    const responder = newResponder();
    establish(responder);
    const other = { address: '192.0.2.133', port: 500 };
    const { bytes } = clientMessage1();
    responder.receive(inbound(bytes, other), T0);
    const { effects } = establish(responder, { message3: { encrypt: false, initialContact: true }, now: T0 + 10_000 });
    expect(logLines(effects)).toEqual(['[IKE] initial contact from 192.0.2.132', '[IKE] old ISAKMP SA with 192.0.2.132 removed (initial contact)']);
    expect(responder.isakmpSas().map((sa) => [sa.peer.address, sa.state])).toEqual([
      ['192.0.2.133', 'awaitingAggressive3'],
      ['192.0.2.132', 'established'],
    ]);
  });

  it('caps half-open SAs: a further message 1 takes the place of the oldest, with a log line', () => {
    const responder = newResponder([seedGateway()], { limits: { maxHalfOpenSas: 2 } });
    const first = clientMessage1();
    responder.receive(inbound(first.bytes), T0);
    responder.receive(inbound(clientMessage1().bytes), T0);
    const third = responder.receive(inbound(clientMessage1().bytes), T0);
    expect(sends(third)).toHaveLength(1);
    expect(logLines(third)).toEqual(['[IKE] ISAKMP phase with 192.0.2.132 dropped to make room: 2 negotiations at once', '[IKE] respond ISAKMP phase to 192.0.2.132']);
    expect(responder.tableSizes().halfOpen).toBe(2);
    expect(responder.isakmpSas().map((sa) => sa.initiatorCookie)).not.toContainEqual(first.state.initiatorCookie);
  });

  it('drops what it cannot place: not ISAKMP, unknown cookies, undecodable messages of a known SA', () => {
    const responder = newResponder([seedGateway()], { syslogDebug: true });
    expect(logLines(responder.receive(inbound(Buffer.from('hello')), T0))).toEqual([expect.stringContaining('[IKE] not an ISAKMP message from 192.0.2.132')]);
    const strangerCookies = encodeMessage(
      { initiatorCookie: Buffer.alloc(8, 1), responderCookie: Buffer.alloc(8, 2), exchangeType: ExchangeType.INFORMATIONAL, flags: 0, messageId: 1 },
      [],
    );
    expect(logLines(responder.receive(inbound(strangerCookies), T0))).toEqual([expect.stringContaining('unknown ISAKMP SA 0101010101010101/0202020202020202')]);
    const { aggressive2 } = exchange12(responder);
    const message3 = buildAggressive3(aggressive2, { encrypt: false }).bytes;
    const truncated = message3.subarray(0, message3.length - 3);
    // Named by its exchange: under an ISAKMP SA it could be any of Phase 1, Transaction or Quick Mode.
    expect(logLines(responder.receive(inbound(truncated), T0 + 50))).toEqual([expect.stringContaining('[IKE] payload malformed (192.0.2.132): AGGRESSIVE message: ')]);
    // The SA survives garbage: the real message 3 still completes it.
    responder.receive(inbound(message3), T0 + 100);
    expect(responder.isakmpSas()).toEqual([expect.objectContaining({ state: 'established' })]);
  });

  it('refuses a Main Mode message 1 without an SA, and ignores an unprotected Transaction after Phase 1 (debug line only)', () => {
    const responder = newResponder([seedGateway()], { syslogDebug: true });
    const mainMode = encodeMessage({ initiatorCookie: Buffer.alloc(8, 1), responderCookie: Buffer.alloc(8), exchangeType: ExchangeType.IDENTITY_PROTECTION, flags: 0, messageId: 0 }, []);
    expect(logLines(responder.receive(inbound(mainMode), T0))).toEqual(['[IKE] payload malformed (192.0.2.132): message 1 lacks SA']);
    const { sa } = establish(responder);
    const transaction = encodeMessage({ initiatorCookie: sa.initiatorCookie, responderCookie: sa.responderCookie, exchangeType: ExchangeType.TRANSACTION, flags: 0, messageId: 3 }, []);
    const effects = responder.receive(inbound(transaction), T0 + 500);
    expect(logLines(effects, 'info')).toEqual([]);
    expect(logLines(effects, 'debug')).toEqual([expect.stringContaining('transaction from 192.0.2.132 ignored: mode-cfg: sent in clear')]);
    expect(sends(effects)).toEqual([]);
    expect(responder.isakmpSas()).toHaveLength(1);
  });

  it('never sets the commit bit in anything it sends', () => {
    const responder = newResponder([seedGateway({ keepalive: { use: 'on', method: 'dpd', intervalSeconds: 10, count: 3, log: true } })]);
    const { sa, effects } = establish(responder);
    const message2 = exchange12(newResponder()).effects;
    const dpd = responder.receive(inbound(buildInformational(sa, [{ kind: 'r-u-there', sequence: 1 }], 0x0f0f0f0f).bytes), T0 + 1_000);
    for (const effect of sends([...effects, ...message2, ...dpd])) {
      const decoded = decodeMessage(effect.bytes);
      expect(decoded.ok && decoded.value.header.flags & 0x02).toBe(0);
    }
  });
});
