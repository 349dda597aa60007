import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { ExchangeType, NotifyType } from '../../src/ike/constants.js';
import { decodeMessage, encodeMessage, kePayload, type DecodedMessage } from '../../src/ike/codec/index.js';
import { buildAggressive3, buildInformational, parseInformational, processAggressive2, SEED_PROPOSAL, type InitiatorOptions } from '../../src/initiator/index.js';
import {
  aggressiveModeMachine,
  type AggressiveModeEmitted,
  type AggressiveModeEvent,
  type ClearMessage,
} from '../../src/ike-responder/aggressive-machine.js';
import type { ResponderEffect } from '../../src/ike-responder/port.js';
import type { GatewayPolicy } from '../../src/ike-responder/policy.js';
import { CLIENT, CLIENT_NATT, ROUTER, ROUTER_NATT, T0, clientMessage1, logLines, policyOf, seedGateway, seededRandomBytes, sends } from './support.js';

const RESPONDER_COOKIE = Buffer.from('52747820312e3030', 'hex');
const HALF_OPEN_MS = 30_000;

function decoded(bytes: Buffer): DecodedMessage {
  const message = decodeMessage(bytes);
  if (!message.ok) throw new Error(message.error.text);
  return message.value;
}

function clear(bytes: Buffer): ClearMessage {
  const message = decoded(bytes);
  if (message.kind !== 'cleartext') throw new Error('expected a cleartext message');
  return message;
}

/** One SA's machine for the client's message 1, with its emitted effects collected. */
function start(gateway: GatewayPolicy = seedGateway(), client: Partial<InitiatorOptions> = {}, syslogDebug = false) {
  const message1 = clientMessage1(client);
  const actor = createActor(aggressiveModeMachine, {
    input: {
      policy: policyOf([gateway], syslogDebug),
      cookies: { initiatorCookie: message1.state.initiatorCookie, responderCookie: RESPONDER_COOKIE },
      peer: CLIENT,
      local: ROUTER,
      natTraversal: false,
      now: T0,
      halfOpenTimeoutMs: HALF_OPEN_MS,
      randomBytes: seededRandomBytes('machine'),
      cipherAvailable: () => true,
    },
  });
  const effects: ResponderEffect[] = [];
  const contacts: string[] = [];
  actor.on('*', (emitted: AggressiveModeEmitted) => {
    // Observer events (`ike-message`) have their own tests (responder-events.test.ts).
    if (emitted.type === 'effect' && emitted.effect.kind !== 'event') effects.push(emitted.effect);
    else if (emitted.type === 'initial-contact') contacts.push(emitted.peerAddress);
  });
  actor.start();
  const take = () => effects.splice(0);
  const send = (event: AggressiveModeEvent) => {
    actor.send(event);
    return take();
  };
  const state = () => actor.getSnapshot().value;
  const aggressive1: AggressiveModeEvent = { type: 'AGGRESSIVE_1', message: clear(message1.bytes), datagram: message1.bytes, from: CLIENT, local: ROUTER, natTraversal: false, now: T0 };
  return { actor, message1, aggressive1, send, state, contacts };
}

/** Through message 2; returns the initiator's view of it. */
function afterMessage2(gateway?: GatewayPolicy, client: Partial<InitiatorOptions> = {}, syslogDebug = false) {
  const machine = start(gateway, client, syslogDebug);
  const effects = machine.send(machine.aggressive1);
  const [message2] = sends(effects);
  if (!message2) throw new Error(`no message 2: ${logLines(effects).join(' | ')}`);
  const processed = processAggressive2(machine.message1.state, message2.bytes, { local: CLIENT, remote: ROUTER });
  const aggressive2 = processed.ok ? processed.state : processed.failure.kind === 'hash-r-mismatch' ? processed.failure.unverified : undefined;
  if (!aggressive2) throw new Error('message 2 refused');
  return { ...machine, effects, message2, aggressive2 };
}

const message3Event = (bytes: Buffer, now = T0 + 1_000, natT = false): AggressiveModeEvent => ({
  type: 'AGGRESSIVE_3',
  message: decoded(bytes),
  from: natT ? CLIENT_NATT : CLIENT,
  local: natT ? ROUTER_NATT : ROUTER,
  natTraversal: natT,
  now,
});

const informationalEvent = (bytes: Buffer, now = T0 + 2_000, natT = false): AggressiveModeEvent => ({
  type: 'INFORMATIONAL',
  message: decoded(bytes),
  from: natT ? CLIENT_NATT : CLIENT,
  local: natT ? ROUTER_NATT : ROUTER,
  natTraversal: natT,
  now,
});

function notifyTypesSent(effects: readonly ResponderEffect[]): number[] {
  return sends(effects).flatMap((effect) => {
    const message = decoded(effect.bytes);
    return message.kind === 'cleartext' ? message.payloads.flatMap((payload) => (payload.type === 'notify' ? [payload.notifyType] : [])) : [];
  });
}

/** Established with message 3 as told. */
function established(message3 = { encrypt: false } as { encrypt: boolean; initialContact?: boolean }, gateway = seedGateway({ payloadType: 3 }), natT = false) {
  const machine = afterMessage2(gateway);
  const built = buildAggressive3(machine.aggressive2, message3);
  const effects = machine.send(message3Event(built.bytes, T0 + 1_000, natT));
  return { ...machine, sa: built.state, establishEffects: effects };
}

describe('awaitingAggressive1: message 1', () => {
  it('an acceptable one: message 2 sent from the SA\'s endpoint, `respond ISAKMP phase` logged, keys for Wireshark, then awaitingAggressive3', () => {
    const { effects, message2, state, actor } = afterMessage2();
    expect(state()).toBe('awaitingAggressive3');
    expect(logLines(effects)).toEqual(['[IKE] respond ISAKMP phase to 192.0.2.132']);
    expect(message2).toMatchObject({ to: CLIENT, from: ROUTER, natTraversal: false });
    const keys = effects.find((effect) => effect.kind === 'ike-keys');
    expect(keys).toEqual({ kind: 'ike-keys', initiatorCookie: actor.getSnapshot().context.cookies.initiatorCookie, encryptionKey: actor.getSnapshot().context.negotiation!.keys.encryptionKey });
    expect(actor.getSnapshot().context.halfOpenDeadline).toBe(T0 + HALF_OPEN_MS);
  });

  it('with key-info and `syslog debug on`: the SKEYID chain, Ka and IV0 as debug lines', () => {
    const { effects } = afterMessage2(seedGateway({ log: { messageInfo: false, payloadInfo: false, keyInfo: true } }), {}, true);
    expect(logLines(effects, 'debug').map((line) => line.split(' : ')[0])).toEqual(
      ['SKEYID', 'SKEYID_d', 'SKEYID_a', 'SKEYID_e', 'encryption key', 'initial IV'].map((name) => `[IKE]  key ${name}`),
    );
    expect(logLines(afterMessage2(seedGateway({ log: { messageInfo: false, payloadInfo: false, keyInfo: true } }), {}, false).effects, 'debug')).toEqual([]);
  });

  it('malformed (no KE): PAYLOAD-MALFORMED, failed', () => {
    const machine = start();
    const withoutKe = clear(machine.message1.bytes).payloads.filter((payload) => payload.type !== 'ke');
    const bytes = encodeMessage({ initiatorCookie: machine.message1.state.initiatorCookie, responderCookie: Buffer.alloc(8), exchangeType: ExchangeType.AGGRESSIVE, flags: 0, messageId: 0 }, withoutKe);
    const effects = machine.send({ ...machine.aggressive1, message: clear(bytes), datagram: bytes });
    expect(machine.state()).toBe('failed');
    expect(logLines(effects)).toEqual(['[IKE] payload malformed (192.0.2.132): message 1 lacks KE']);
    expect(notifyTypesSent(effects)).toEqual([NotifyType.PAYLOAD_MALFORMED]);
  });

  it('unknown ID: a log line with the ID, INVALID-ID-INFORMATION, failed', () => {
    const machine = start(seedGateway(), { identity: { kind: 'key-id', keyId: Buffer.from('stranger') } });
    const effects = machine.send(machine.aggressive1);
    expect(machine.state()).toBe('failed');
    expect(logLines(effects)).toEqual(['[IKE] no gateway for ID "stranger" (192.0.2.132)']);
    expect(notifyTypesSent(effects)).toEqual([NotifyType.INVALID_ID_INFORMATION]);
  });

  it('no pre-shared key: no key exchange and nothing sent; a masked key is logged', () => {
    const missing = start(seedGateway({ preSharedKey: { kind: 'missing' } }));
    expect(missing.send(missing.aggressive1)).toEqual([]);
    expect(missing.state()).toBe('failed');
    const masked = start(seedGateway({ preSharedKey: { kind: 'masked' } }));
    const effects = masked.send(masked.aggressive1);
    expect(logLines(effects)).toEqual(['[IKE] gateway 1: pre-shared key is masked (*) in the config; supply it with --psk 1=KEY']);
    expect(sends(effects)).toEqual([]);
  });

  it('no acceptable proposal: NO-PROPOSAL-CHOSEN, or nothing sent with `send info off`', () => {
    const client = { proposals: [{ ...SEED_PROPOSAL, encryption: 'aes256-cbc' as const }] };
    const machine = start(seedGateway(), client);
    const effects = machine.send(machine.aggressive1);
    expect(machine.state()).toBe('failed');
    expect(logLines(effects)).toEqual(['[IKE] no proposal chosen (192.0.2.132)']);
    expect(notifyTypesSent(effects)).toEqual([NotifyType.NO_PROPOSAL_CHOSEN]);
    const quiet = start(seedGateway({ sendInfo: false }), client);
    const quietEffects = quiet.send(quiet.aggressive1);
    expect(sends(quietEffects)).toEqual([]);
    expect(logLines(quietEffects)).toEqual(['[IKE] no proposal chosen (192.0.2.132)']);
  });

  it('a KE of the wrong size for the group: INVALID-KEY-INFORMATION, failed', () => {
    const machine = start();
    // A modp768-sized public value (96 bytes) with a modp1024 offer.
    const payloads = clear(machine.message1.bytes).payloads.map((payload) => (payload.type === 'ke' ? kePayload(Buffer.alloc(96, 7)) : payload));
    const bytes = encodeMessage({ initiatorCookie: machine.message1.state.initiatorCookie, responderCookie: Buffer.alloc(8), exchangeType: ExchangeType.AGGRESSIVE, flags: 0, messageId: 0 }, payloads);
    const effects = machine.send({ ...machine.aggressive1, message: clear(bytes), datagram: bytes });
    expect(machine.state()).toBe('failed');
    expect(logLines(effects)).toEqual(['[IKE] invalid key information (192.0.2.132)']);
    expect(notifyTypesSent(effects)).toEqual([NotifyType.INVALID_KEY_INFORMATION]);
  });
});

describe('awaitingAggressive3', () => {
  it('a repeated message 1 gets the stored message 2 again, byte for byte', () => {
    const machine = afterMessage2();
    const again = machine.send({ ...machine.aggressive1, now: T0 + 5_000 });
    expect(sends(again).map((effect) => effect.bytes)).toEqual([machine.message2.bytes]);
    expect(logLines(again)).toEqual([]);
    expect(machine.state()).toBe('awaitingAggressive3');
  });

  it('a different message 1 with the same cookie is ignored', () => {
    const machine = afterMessage2();
    const other = clientMessage1();
    const effects = machine.send({ ...machine.aggressive1, message: clear(other.bytes), datagram: other.bytes });
    expect(sends(effects)).toEqual([]);
    expect(machine.state()).toBe('awaitingAggressive3');
  });

  it('an encrypted message 3 under payload type 2: `payload malformed : no message`, PAYLOAD-MALFORMED, no SA', () => {
    const machine = afterMessage2(seedGateway({ payloadType: 2 }));
    const effects = machine.send(message3Event(buildAggressive3(machine.aggressive2, { encrypt: true }).bytes));
    expect(machine.state()).toBe('failed');
    expect(logLines(effects)).toEqual(['[IKE] payload malformed : no message (192.0.2.132)']);
    expect(notifyTypesSent(effects)).toEqual([NotifyType.PAYLOAD_MALFORMED]);
  });

  it('the refusal goes back the way message 3 came: from the NAT-T socket, with the non-ESP marker', () => {
    const machine = afterMessage2(seedGateway({ payloadType: 2 }));
    const effects = machine.send(message3Event(buildAggressive3(machine.aggressive2, { encrypt: true }).bytes, T0 + 1_000, true));
    expect(sends(effects)).toEqual([expect.objectContaining({ to: CLIENT_NATT, from: ROUTER_NATT, natTraversal: true })]);
  });

  it('an encrypted message 3 under payload type 1 fails the same way (type 1 assumed to behave as 2)', () => {
    const machine = afterMessage2(seedGateway({ payloadType: 1 }));
    const effects = machine.send(message3Event(buildAggressive3(machine.aggressive2, { encrypt: true }).bytes));
    expect(machine.state()).toBe('failed');
    expect(logLines(effects)).toEqual(['[IKE] payload malformed : no message (192.0.2.132)']);
  });

  it('an encrypted message 3 under payload type 3: established, IVs chained from its last block', () => {
    const { state, actor, sa } = established({ encrypt: true });
    expect(state()).toBe('established');
    const { context } = actor.getSnapshot();
    expect(context.message3Encrypted).toBe(true);
    expect(context.ivChains).toEqual(sa.ivChains);
    expect(context.expiresAt).toBe(T0 + 1_000 + 28_800_000);
    expect(context.halfOpenDeadline).toBeUndefined();
  });

  it('a message 3 in clear under payload type 2: established, IVs still at IV0', () => {
    const { state, actor, establishEffects } = established({ encrypt: false }, seedGateway({ payloadType: 2 }));
    expect(state()).toBe('established');
    expect(establishEffects).toEqual([]);
    expect(actor.getSnapshot().context.ivChains!.phase1.source).toBe('initial-iv');
  });

  it('with `syslog debug on`: a debug line says the ISAKMP SA is established and how message 3 came', () => {
    const machine = afterMessage2(seedGateway({ payloadType: 3 }), {}, true);
    const effects = machine.send(message3Event(buildAggressive3(machine.aggressive2, { encrypt: true }).bytes));
    expect(logLines(effects, 'debug')).toEqual(['[IKE] ISAKMP SA established with 192.0.2.132 (gateway 1, message 3 encrypted)']);
    expect(logLines(effects, 'info')).toEqual([]);
  });

  it('a wrong HASH_I: a log line, INVALID-HASH-INFORMATION (send info on), no SA', () => {
    const machine = afterMessage2(seedGateway(), { preSharedKey: Buffer.from('WRONGKEY') });
    const effects = machine.send(message3Event(buildAggressive3(machine.aggressive2, { encrypt: false }).bytes));
    expect(machine.state()).toBe('failed');
    expect(logLines(effects)).toEqual(['[IKE] HASH mismatch, pre-shared key may differ (192.0.2.132)']);
    expect(notifyTypesSent(effects)).toEqual([NotifyType.INVALID_HASH_INFORMATION]);

    const quiet = afterMessage2(seedGateway({ sendInfo: false }), { preSharedKey: Buffer.from('WRONGKEY') });
    expect(sends(quiet.send(message3Event(buildAggressive3(quiet.aggressive2, { encrypt: false }).bytes)))).toEqual([]);
  });

  it('an unreadable message 3 (no HASH): payload malformed, no SA', () => {
    const machine = afterMessage2();
    const bytes = encodeMessage(
      { initiatorCookie: machine.message1.state.initiatorCookie, responderCookie: RESPONDER_COOKIE, exchangeType: ExchangeType.AGGRESSIVE, flags: 0, messageId: 0 },
      [],
    );
    const effects = machine.send(message3Event(bytes));
    expect(machine.state()).toBe('failed');
    expect(logLines(effects)).toEqual(['[IKE] payload malformed (192.0.2.132): message 3 has no HASH payload']);
  });

  it('message 3 from the NAT-T port moves the SA there', () => {
    const { actor } = established({ encrypt: true }, seedGateway({ payloadType: 3 }), true);
    expect(actor.getSnapshot().context).toMatchObject({ peer: CLIENT_NATT, local: ROUTER_NATT, natTraversal: true });
  });

  it('INITIAL-CONTACT in message 3 is reported to the responder', () => {
    const { contacts, state } = established({ encrypt: false, initialContact: true });
    expect(state()).toBe('established');
    expect(contacts).toEqual(['192.0.2.132']);
  });

  it('an Informational before establishment is only noted', () => {
    const machine = afterMessage2();
    const bytes = encodeMessage(
      { initiatorCookie: machine.message1.state.initiatorCookie, responderCookie: RESPONDER_COOKIE, exchangeType: ExchangeType.INFORMATIONAL, flags: 0, messageId: 5 },
      [{ type: 'notify', doi: 1, protocolId: 1, notifyType: NotifyType.AUTHENTICATION_FAILED, spi: Buffer.alloc(0), data: Buffer.alloc(0) }],
    );
    const effects = machine.send(informationalEvent(bytes));
    expect(machine.state()).toBe('awaitingAggressive3');
    expect(sends(effects)).toEqual([]);
  });

  it('half-open expiry: nothing before the time-out, then expired with a log line', () => {
    const machine = afterMessage2();
    expect(machine.send({ type: 'TICK', now: T0 + HALF_OPEN_MS - 1 })).toEqual([]);
    expect(machine.state()).toBe('awaitingAggressive3');
    expect(logLines(machine.send({ type: 'TICK', now: T0 + HALF_OPEN_MS }))).toEqual(['[IKE] ISAKMP phase with 192.0.2.132 timed out']);
    expect(machine.state()).toBe('expired');
  });

  it('superseded by an INITIAL-CONTACT elsewhere: deleted', () => {
    const machine = afterMessage2();
    machine.send({ type: 'SUPERSEDED', now: T0 + 1 });
    expect(machine.state()).toBe('deleted');
  });
});

describe('established: Informational exchanges and lifetime', () => {
  it('answers R-U-THERE with R-U-THERE-ACK: same sequence, new M-ID, HASH the initiator verifies', () => {
    for (const encrypt of [false, true]) {
      const machine = established({ encrypt });
      const request = buildInformational(machine.sa, [{ kind: 'r-u-there', sequence: 0x2a }], 0x11111111);
      const effects = machine.send(informationalEvent(request.bytes));
      const [answer] = sends(effects);
      expect(answer).toMatchObject({ to: CLIENT, natTraversal: false });
      const parsed = parseInformational(machine.sa, answer!.bytes);
      expect(parsed).toMatchObject({ ok: true, value: { protected: true, items: [{ kind: 'r-u-there-ack', sequence: 0x2a }] } });
      expect(parsed.ok && parsed.value.messageId).not.toBe(0x11111111);
      expect(machine.state()).toBe('established');
    }
  });

  it('sends DPD answers to the NAT-T port when the SA moved there', () => {
    const machine = established({ encrypt: true }, seedGateway({ payloadType: 3 }), true);
    const request = buildInformational(machine.sa, [{ kind: 'r-u-there', sequence: 1 }], 0x22222222);
    const [answer] = sends(machine.send(informationalEvent(request.bytes, T0 + 2_000, true)));
    expect(answer).toMatchObject({ to: CLIENT_NATT, from: ROUTER_NATT, natTraversal: true });
  });

  it('a Delete of this ISAKMP SA ends it with a log line', () => {
    const machine = established();
    const effects = machine.send(informationalEvent(buildInformational(machine.sa, [{ kind: 'delete-isakmp-sa' }], 0x33333333).bytes));
    expect(machine.state()).toBe('deleted');
    expect(logLines(effects)).toEqual(['[IKE] ISAKMP SA deleted by 192.0.2.132']);
  });

  it('INITIAL-CONTACT in an Informational is logged and reported', () => {
    const machine = established();
    const effects = machine.send(informationalEvent(buildInformational(machine.sa, [{ kind: 'initial-contact' }], 0x44444444).bytes));
    expect(logLines(effects)).toEqual(['[IKE] initial contact from 192.0.2.132']);
    expect(machine.contacts).toEqual(['192.0.2.132']);
    expect(machine.state()).toBe('established');
  });

  it('an unprotected or forged Informational changes nothing', () => {
    const machine = established();
    const forged = buildInformational({ ...machine.sa, keys: { ...machine.sa.keys, skeyidA: Buffer.alloc(20) } }, [{ kind: 'delete-isakmp-sa' }], 0x55555555);
    expect(sends(machine.send(informationalEvent(forged.bytes)))).toEqual([]);
    expect(machine.state()).toBe('established');
    const bytes = encodeMessage(
      { initiatorCookie: machine.sa.initiatorCookie, responderCookie: RESPONDER_COOKIE, exchangeType: ExchangeType.INFORMATIONAL, flags: 0, messageId: 6 },
      [{ type: 'delete', doi: 1, protocolId: 1, spiSize: 16, spis: [Buffer.concat([machine.sa.initiatorCookie, RESPONDER_COOKIE])] }],
    );
    machine.send(informationalEvent(bytes));
    expect(machine.state()).toBe('established');
  });

  it('ignores Aggressive Mode messages once established', () => {
    const machine = established();
    expect(sends(machine.send(machine.aggressive1))).toEqual([]);
    expect(machine.state()).toBe('established');
  });

  it('at the end of its lifetime: expired, with a protected Delete (send info on) the initiator can read', () => {
    const machine = established({ encrypt: true });
    expect(machine.send({ type: 'TICK', now: T0 + 1_000 + 28_800_000 - 1 })).toEqual([]);
    const effects = machine.send({ type: 'TICK', now: T0 + 1_000 + 28_800_000 });
    expect(machine.state()).toBe('expired');
    expect(logLines(effects)).toEqual(['[IKE] ISAKMP SA with 192.0.2.132 expired']);
    const [deletion] = sends(effects);
    expect(parseInformational(machine.sa, deletion!.bytes)).toMatchObject({ ok: true, value: { items: [{ kind: 'delete-isakmp-sa' }] } });

    const quiet = established({ encrypt: false }, seedGateway({ payloadType: 3, sendInfo: false }));
    expect(sends(quiet.send({ type: 'TICK', now: T0 + 1_000 + 28_800_000 }))).toEqual([]);
    expect(quiet.state()).toBe('expired');
  });

  it('superseded by a newer SA\'s INITIAL-CONTACT: deleted with a log line', () => {
    const machine = established();
    expect(logLines(machine.send({ type: 'SUPERSEDED', now: T0 + 3_000 }))).toEqual(['[IKE] old ISAKMP SA with 192.0.2.132 removed (initial contact)']);
    expect(machine.state()).toBe('deleted');
  });
});
