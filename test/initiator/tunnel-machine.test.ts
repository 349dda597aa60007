import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { attributePayload, deletePayload, emptyAttribute, encodeMessage, ipsecTransform, ipv4Attribute, notifyPayload, tvAttribute, type DataAttribute } from '../../src/ike/codec/index.js';
import { CfgType, ExchangeType, ModeCfgAttribute, NotifyType, ProtocolId } from '../../src/ike/constants.js';
import {
  RACOON_XAUTH,
  STRONGSWAN_PULL_MODE_CFG,
  STRONGSWAN_PUSH_MODE_CFG,
  STRONGSWAN_XAUTH,
  VPNC_XAUTH,
  racoonModeCfg,
  vpncModeCfg,
  type QuickModeRandomness,
  type TransportPaths,
} from '../../src/initiator/index.js';
import { tunnelMachine, tunnelOutcome, type TunnelEmitted, type TunnelEvent } from '../../src/initiator/tunnel-machine.js';
import type { TunnelOptions } from '../../src/initiator/tunnel-options.js';
import { fixedRandomness, phase1Path, seedClientOptions } from './support/fixtures.js';
import {
  answerAggressive1,
  answerQuickMode1,
  openFromInitiator,
  readAggressive3,
  sealResponderMessage,
  type TinyResponderSa,
} from './support/tiny-responder.js';

const A = ModeCfgAttribute;
const timing = { retransmitTimeoutsMs: [100, 200, 400], message3QuietMs: 500, peerWaitMs: 1000 };
const gatewaySetup = { preSharedKey: Buffer.from('PSKEY1'), identity: { kind: 'ipv4-address', address: '172.16.0.254' } as const };
const qmRandomness: QuickModeRandomness = { messageId: 0x0000c0de, spi: Buffer.from('c11e4700', 'hex'), nonce: Buffer.alloc(32, 0x71) };
const protectedNetwork = { kind: 'ipv4-subnet', address: '10.1.1.0', netmask: '255.255.255.0' } as const;
const rtxAddressSet = [ipv4Attribute(A.INTERNAL_IP4_ADDRESS, '10.1.1.110'), ipv4Attribute(A.INTERNAL_IP4_NETMASK, '255.255.255.0')];

/** The seed's client: XAUTH user1/password, push mode-cfg, Quick Mode 3DES/SHA1 to 10.1.1.0/24. */
function seedTunnel(overrides: Partial<TunnelOptions> = {}): TunnelOptions {
  return {
    phase1: seedClientOptions(),
    xauth: { credentials: { userName: 'user1', password: 'password' }, behaviour: STRONGSWAN_XAUTH },
    modeCfg: STRONGSWAN_PUSH_MODE_CFG,
    quickMode: { proposals: [{ encryption: '3des-cbc', integrity: 'hmac-sha1-96' }], lifeSeconds: 28800, localId: { kind: 'mode-cfg-address' }, remoteId: protectedNetwork },
    ...overrides,
  };
}

type Send = Extract<TunnelEmitted, { type: 'send' }>;

function start(options: TunnelOptions, paths: TransportPaths = { isakmp: phase1Path }) {
  let messageIds = 0x100;
  const actor = createActor(tunnelMachine, {
    input: { options, randomness: fixedRandomness, paths, timing, nextMessageId: () => messageIds++, nextQuickModeRandomness: () => qmRandomness },
  });
  const emitted: TunnelEmitted[] = [];
  actor.on('*', (event) => emitted.push(event));
  actor.start();
  const take = () => emitted.splice(0);
  return {
    actor,
    take,
    sent: (): Send[] => take().filter((event): event is Send => event.type === 'send'),
    send: (event: TunnelEvent) => actor.send(event),
    datagram: (bytes: Buffer) => actor.send({ type: 'DATAGRAM', bytes, path: 'isakmp' }),
    state: () => actor.getSnapshot().value,
    outcome: () => tunnelOutcome(actor.getSnapshot()),
  };
}

type Run = ReturnType<typeof start>;

/** The gateway side, built from codec and crypto only (the tiny responder). */
function gateway(sa: TinyResponderSa) {
  return {
    sa,
    /** A gateway-initiated Transaction message; `read` opens our answer to it. */
    transaction(messageId: number, cfgType: number, attributes: DataAttribute[], identifier = 0) {
      const sealed = sealResponderMessage(sa, sa.ivChains, ExchangeType.TRANSACTION, messageId, [attributePayload(cfgType, attributes, identifier)]);
      return { bytes: sealed.bytes, read: (answer: Buffer) => openFromInitiator(sa, sealed.ivChains, answer) };
    },
    informational(messageId: number, payloads: Parameters<typeof sealResponderMessage>[4]) {
      return sealResponderMessage(sa, sa.ivChains, ExchangeType.INFORMATIONAL, messageId, payloads).bytes;
    },
    /** Opens a message we started (mode-cfg REQUEST, Informational). */
    open(bytes: Buffer) {
      return openFromInitiator(sa, sa.ivChains, bytes);
    },
    xauthRequest(messageId = 0xcc65a872) {
      return this.transaction(messageId, CfgType.REQUEST, [emptyAttribute(A.XAUTH_USER_NAME), emptyAttribute(A.XAUTH_USER_PASSWORD)]);
    },
  };
}

/** Phase 1, confirmed by the gateway's XAUTH REQUEST (as the RTX does right after message 3). */
function throughPhase1(run: Run, options: { confirmWith?: 'xauth-request' | 'silence' } = {}) {
  run.send({ type: 'START' });
  const [message1] = run.sent();
  const { message2, sa } = answerAggressive1(message1!.bytes, gatewaySetup);
  run.datagram(message2);
  const [message3] = run.sent();
  const gw = gateway({ ...sa, ivChains: readAggressive3(sa, message3!.bytes).ivChains });
  if ((options.confirmWith ?? 'xauth-request') === 'silence') {
    run.send({ type: 'TIMER' });
    return { gw, request: undefined };
  }
  const request = gw.xauthRequest();
  run.datagram(request.bytes);
  return { gw, request };
}

/** Phase 1 and XAUTH with STATUS=OK; returns what we sent after the status SET. */
function throughXauth(run: Run) {
  const { gw, request } = throughPhase1(run);
  const [reply] = run.sent();
  const verdict = gw.transaction(0x5e7, CfgType.SET, [tvAttribute(A.XAUTH_STATUS, 1)]);
  run.datagram(verdict.bytes);
  return { gw, request: request!, reply: reply!, afterStatus: run.take() };
}

function sendsOf(events: readonly TunnelEmitted[]): Send[] {
  return events.filter((event): event is Send => event.type === 'send');
}

describe('tunnelMachine, the RTX path', () => {
  it('goes Phase 1 -> XAUTH -> mode-cfg SET/ACK -> Quick Mode -> established, with the address as IDci', () => {
    const run = start(seedTunnel());
    const steps: string[] = [];
    run.actor.on('step', (event) => steps.push(event.step));
    const { gw, request, reply, afterStatus } = throughXauth(run);
    const opened = request.read(reply.bytes);
    expect(opened.hashVerifies).toBe(true);
    expect(opened.payloads[1]).toMatchObject({ cfgType: CfgType.REPLY, attributes: [{ value: Buffer.from('user1') }, { value: Buffer.from('password') }] });
    expect(sendsOf(afterStatus).map((send) => send.entry.note)).toEqual(['XAUTH ACK']);
    expect(run.state()).toBe('modeCfg');

    const set = gw.transaction(0xadd7, CfgType.SET, rtxAddressSet, 9);
    run.datagram(set.bytes);
    const [ack, quickMode1] = run.sent();
    expect(set.read(ack!.bytes).payloads[1]).toMatchObject({ cfgType: CfgType.ACK, identifier: 9, attributes: [emptyAttribute(A.INTERNAL_IP4_ADDRESS), emptyAttribute(A.INTERNAL_IP4_NETMASK)] });
    expect(run.state()).toBe('quickMode');

    const quickMode = answerQuickMode1(gw.sa, gw.sa.ivChains, quickMode1!.bytes);
    expect(quickMode.hash1Verifies).toBe(true);
    expect(quickMode.ids.map((id) => id.type === 'id' && id.data.toString('hex'))).toEqual(['0a01016e', '0a010100ffffff00']);
    run.datagram(quickMode.message2);
    const [message3] = run.sent();
    expect(quickMode.readMessage3(message3!.bytes).hash3Verifies).toBe(true);
    // Message 3 gets no answer: the tunnel is unconfirmed until the gateway's resend interval passes.
    expect(run.state()).toBe('unconfirmed');
    expect(run.outcome()).toMatchObject({ status: 'pending' });
    run.send({ type: 'TIMER' });
    const outcome = run.outcome();
    expect(outcome).toMatchObject({ status: 'established', quickModeConfirmation: 'quiet-period', confirmation: 'peer-message', xauth: { rounds: 1, status: 'ok' }, modeCfg: { address: '10.1.1.110', netmask: '255.255.255.0' } });
    if (outcome.status !== 'established') return;
    expect(outcome.espSas!.outbound.spi).toEqual(quickMode.responderSpi);
    expect(Buffer.concat([outcome.espSas!.outbound.encryptionKey, outcome.espSas!.outbound.integrityKey])).toEqual(quickMode.keymat(quickMode.responderSpi, 44));
    expect(steps).toEqual(['phase1', 'xauth', 'mode-cfg', 'quick-mode', 'unconfirmed', 'established']);
  });

  it('answers a retransmitted REQUEST with the same REPLY bytes', () => {
    const run = start(seedTunnel());
    const { request } = throughPhase1(run);
    const [reply] = run.sent();
    run.datagram(request!.bytes);
    const [again] = run.sent();
    expect(again!.bytes).toEqual(reply!.bytes);
    expect(run.state()).toBe('xauth');
  });

  it('skips XAUTH and mode-cfg when Phase 1 is plain PSK and none is configured', () => {
    const run = start(
      seedTunnel({
        phase1: seedClientOptions({ proposals: [{ encryption: '3des-cbc', hash: 'sha1', group: 2, authMethod: 'pre-shared-key' }] }),
        xauth: undefined,
        modeCfg: undefined,
        quickMode: { proposals: [{ encryption: '3des-cbc', integrity: 'hmac-md5-96' }], localId: { kind: 'ipv4-address', address: '192.168.100.30' }, remoteId: protectedNetwork },
      }),
    );
    const { gw } = throughPhase1(run, { confirmWith: 'silence' });
    const [quickMode1] = sendsOf(run.take());
    const quickMode = answerQuickMode1(gw.sa, gw.sa.ivChains, quickMode1!.bytes);
    run.datagram(quickMode.message2);
    run.send({ type: 'TIMER' });
    expect(run.outcome()).toMatchObject({ status: 'established', confirmation: 'quiet-period', espSas: { integrity: 'hmac-md5-96' } });
  });
});

describe('tunnelMachine, XAUTH failures', () => {
  it('fails with xauth-failed on STATUS=FAIL, after acknowledging it', () => {
    const run = start(seedTunnel());
    const { gw } = throughPhase1(run);
    run.take();
    const verdict = gw.transaction(0x5e7, CfgType.SET, [tvAttribute(A.XAUTH_STATUS, 0)]);
    run.datagram(verdict.bytes);
    const sends = run.sent();
    expect(sends.map((send) => send.entry.note)).toEqual(['XAUTH ACK']);
    expect(run.outcome()).toMatchObject({ status: 'failed', failure: { step: 'xauth', kind: 'xauth-failed' } });
  });

  it('also deletes the ISAKMP SA after STATUS=FAIL when the behaviour is racoon\'s', () => {
    const run = start(seedTunnel({ xauth: { credentials: { userName: 'user1', password: 'wrong' }, behaviour: RACOON_XAUTH } }));
    const { gw } = throughPhase1(run);
    run.take();
    run.datagram(gw.transaction(0x5e7, CfgType.SET, [tvAttribute(A.XAUTH_STATUS, 0)]).bytes);
    const [, deletion] = run.sent();
    expect(gw.open(deletion!.bytes).payloads[1]).toMatchObject({ type: 'delete', protocolId: ProtocolId.ISAKMP });
    expect(run.outcome()).toMatchObject({ status: 'failed', failure: { kind: 'xauth-failed', text: 'the gateway refused user user1 (XAUTH-STATUS FAIL)' } });
  });

  it('fails with xauth-no-request when no REQUEST follows Phase 1', () => {
    const run = start(seedTunnel());
    throughPhase1(run, { confirmWith: 'silence' });
    expect(run.state()).toBe('xauth');
    run.send({ type: 'TIMER' });
    expect(run.outcome()).toMatchObject({ status: 'failed', failure: { step: 'xauth', kind: 'xauth-no-request' } });
  });

  it('fails with xauth-no-status when the verdict never comes', () => {
    const run = start(seedTunnel());
    throughPhase1(run);
    run.send({ type: 'TIMER' });
    expect(run.outcome()).toMatchObject({ status: 'failed', failure: { kind: 'xauth-no-status' } });
  });

  it('fails with xauth-unsupported on a REQUEST for a passcode', () => {
    const run = start(seedTunnel());
    const { gw } = throughPhase1(run, { confirmWith: 'silence' });
    run.datagram(gw.transaction(1, CfgType.REQUEST, [emptyAttribute(A.XAUTH_USER_NAME), emptyAttribute(A.XAUTH_PASSCODE)]).bytes);
    expect(run.outcome()).toMatchObject({ status: 'failed', failure: { kind: 'xauth-unsupported', text: 'the REQUEST asks for XAUTH-PASSCODE' } });
  });

  it('fails with notify-received, naming the step, on an error notify during XAUTH (even one in clear)', () => {
    const run = start(seedTunnel());
    const { gw } = throughPhase1(run);
    const malformed = encodeMessage(
      { initiatorCookie: gw.sa.initiatorCookie, responderCookie: gw.sa.responderCookie, exchangeType: ExchangeType.INFORMATIONAL, flags: 0, messageId: 0x45 },
      [notifyPayload({ notifyType: NotifyType.PAYLOAD_MALFORMED })],
    );
    run.datagram(malformed);
    expect(run.outcome()).toMatchObject({ status: 'failed', failure: { step: 'xauth', kind: 'notify-received', notifies: ['PAYLOAD-MALFORMED'], protected: false } });
  });

  it('fails with deleted-by-peer, naming the step, when the gateway deletes the SA during XAUTH', () => {
    const run = start(seedTunnel());
    const { gw } = throughPhase1(run);
    const spi = Buffer.concat([gw.sa.initiatorCookie, gw.sa.responderCookie]);
    run.datagram(gw.informational(0x44, [deletePayload({ protocolId: ProtocolId.ISAKMP, spis: [spi] })]));
    expect(run.outcome()).toMatchObject({ status: 'failed', failure: { step: 'xauth', kind: 'deleted-by-peer' } });
  });
});

describe('tunnelMachine, mode-cfg branches', () => {
  it('fails with mode-cfg-no-address when nothing is pushed and Quick Mode needs the address', () => {
    const run = start(seedTunnel());
    throughXauth(run);
    run.send({ type: 'TIMER' });
    expect(run.outcome()).toMatchObject({ status: 'failed', failure: { step: 'mode-cfg', kind: 'mode-cfg-no-address' } });
  });

  it('strongSwan pull = yes: asks, answers the SET with an empty REPLY, resends, then fails with mode-cfg-request-unanswered', () => {
    const run = start(seedTunnel({ modeCfg: STRONGSWAN_PULL_MODE_CFG }));
    const { gw, afterStatus } = throughXauth(run);
    const [, request] = sendsOf(afterStatus);
    expect(request!.entry.note).toBe('mode-cfg REQUEST');
    expect(gw.open(request!.bytes).payloads[1]).toMatchObject({ cfgType: CfgType.REQUEST, identifier: 0, attributes: [emptyAttribute(A.INTERNAL_IP4_ADDRESS)] });
    const set = gw.transaction(0xadd7, CfgType.SET, rtxAddressSet);
    run.datagram(set.bytes);
    const [emptyReply] = run.sent();
    expect(set.read(emptyReply!.bytes).payloads[1]).toMatchObject({ cfgType: CfgType.REPLY, attributes: [] });
    run.send({ type: 'TIMER' });
    run.send({ type: 'TIMER' });
    const resent = run.sent();
    expect(resent.map((send) => send.bytes)).toEqual([request!.bytes, request!.bytes]);
    run.send({ type: 'TIMER' });
    expect(run.outcome()).toMatchObject({ status: 'failed', failure: { step: 'mode-cfg', kind: 'mode-cfg-request-unanswered', sends: 3 } });
  });

  it('pull answered (a non-RTX gateway): takes the address from the REPLY and goes on', () => {
    const run = start(seedTunnel({ modeCfg: STRONGSWAN_PULL_MODE_CFG }));
    const { gw, afterStatus } = throughXauth(run);
    const [, request] = sendsOf(afterStatus);
    const opened = gw.open(request!.bytes);
    const reply = sealResponderMessage(gw.sa, opened.ivChains, ExchangeType.TRANSACTION, opened.header.messageId, [attributePayload(CfgType.REPLY, rtxAddressSet)]);
    run.datagram(reply.bytes);
    expect(run.state()).toBe('quickMode');
  });

  it('vpnc: refuses the pushed SET with INVALID-MESSAGE-ID, deletes the SA and fails with mode-cfg-set-rejected', () => {
    const run = start(seedTunnel({ xauth: { credentials: { userName: 'user1', password: 'password' }, behaviour: VPNC_XAUTH }, modeCfg: vpncModeCfg('vpnc test', 'host') }));
    const { gw } = throughXauth(run);
    run.datagram(gw.transaction(0xadd7, CfgType.SET, rtxAddressSet).bytes);
    const [notify, deletion] = run.sent();
    expect(gw.open(notify!.bytes).payloads[1]).toMatchObject({ type: 'notify', notifyType: NotifyType.INVALID_MESSAGE_ID, spi: Buffer.alloc(0) });
    expect(gw.open(deletion!.bytes).payloads[1]).toMatchObject({ type: 'delete', protocolId: ProtocolId.ISAKMP });
    expect(run.outcome()).toMatchObject({ status: 'failed', failure: { step: 'mode-cfg', kind: 'mode-cfg-set-rejected' } });
  });

  it('racoon mode_cfg on: "Unexpected SET attribute", an empty ACK, a new REQUEST, and no answer', () => {
    const run = start(seedTunnel({ xauth: { credentials: { userName: 'user1', password: 'password' }, behaviour: RACOON_XAUTH }, modeCfg: racoonModeCfg({ modeCfg: true, identifier: 0x77 }) }));
    const { gw, afterStatus } = throughXauth(run);
    expect(sendsOf(afterStatus).map((send) => send.entry.note)).toEqual(['XAUTH ACK', 'mode-cfg REQUEST']);
    const set = gw.transaction(0xadd7, CfgType.SET, rtxAddressSet);
    run.datagram(set.bytes);
    const events = run.take();
    expect(events.filter((event) => event.type === 'note').map((event) => event.type === 'note' && event.text)).toEqual([
      'Unexpected SET attribute INTERNAL-IP4-ADDRESS',
      'Unexpected SET attribute INTERNAL-IP4-NETMASK',
    ]);
    const [ack, secondRequest] = sendsOf(events);
    expect(set.read(ack!.bytes).payloads[1]).toMatchObject({ cfgType: CfgType.ACK, attributes: [] });
    expect(gw.open(secondRequest!.bytes).payloads[1]).toMatchObject({ cfgType: CfgType.REQUEST, identifier: 0x77 });
    for (let expiry = 0; expiry < 3; expiry++) run.send({ type: 'TIMER' });
    expect(run.outcome()).toMatchObject({ status: 'failed', failure: { kind: 'mode-cfg-request-unanswered' } });
  });

  it('racoon mode_cfg off with a hand-set inner address: ignores the SET and still brings the tunnel up', () => {
    const run = start(
      seedTunnel({
        xauth: { credentials: { userName: 'user1', password: 'password' }, behaviour: RACOON_XAUTH },
        modeCfg: racoonModeCfg({ modeCfg: false, identifier: 0 }),
        quickMode: { proposals: [{ encryption: '3des-cbc', integrity: 'hmac-sha1-96' }], localId: { kind: 'ipv4-address', address: '192.168.100.30' }, remoteId: protectedNetwork },
      }),
    );
    const { gw } = throughXauth(run);
    run.datagram(gw.transaction(0xadd7, CfgType.SET, rtxAddressSet).bytes);
    const [, quickMode1] = run.sent();
    const quickMode = answerQuickMode1(gw.sa, gw.sa.ivChains, quickMode1!.bytes);
    expect(quickMode.ids[0]).toMatchObject({ data: Buffer.from([192, 168, 100, 30]) });
    run.datagram(quickMode.message2);
    run.send({ type: 'TIMER' });
    expect(run.outcome()).toMatchObject({ status: 'established', modeCfg: { dns: [] } });
    const outcome = run.outcome();
    expect(outcome.status === 'established' && outcome.modeCfg?.address).toBeUndefined();
  });

  it('sends a Delete and fails as cancelled on CLOSE during mode-cfg', () => {
    const run = start(seedTunnel());
    const { gw } = throughXauth(run);
    run.send({ type: 'CLOSE' });
    const [deletion] = run.sent();
    expect(gw.open(deletion!.bytes).payloads[1]).toMatchObject({ type: 'delete', protocolId: ProtocolId.ISAKMP });
    expect(run.outcome()).toMatchObject({ status: 'failed', failure: { step: 'mode-cfg', kind: 'cancelled' } });
  });
});

describe('tunnelMachine, Quick Mode and after', () => {
  function toQuickMode(options = seedTunnel()) {
    const run = start(options);
    const { gw } = throughXauth(run);
    run.datagram(gw.transaction(0xadd7, CfgType.SET, rtxAddressSet).bytes);
    const [, quickMode1] = run.sent();
    return { run, gw, quickMode1: quickMode1! };
  }

  it('fails with quick-mode-no-proposal on NO-PROPOSAL-CHOSEN', () => {
    const { run, gw } = toQuickMode();
    run.datagram(gw.informational(0x99, [notifyPayload({ notifyType: NotifyType.NO_PROPOSAL_CHOSEN, protocolId: ProtocolId.IPSEC_ESP })]));
    expect(run.outcome()).toMatchObject({ status: 'failed', failure: { step: 'quick-mode', kind: 'quick-mode-no-proposal' } });
  });

  it('fails with quick-mode-no-proposal when the gateway picks a transform we did not offer', () => {
    const { run, gw, quickMode1 } = toQuickMode();
    const quickMode = answerQuickMode1(gw.sa, gw.sa.ivChains, quickMode1.bytes, { replaceTransform: ipsecTransform({ transformId: 12, keyLength: 128, authAlgorithm: 2, encapsulationMode: 1 }) });
    run.datagram(quickMode.message2);
    expect(run.outcome()).toMatchObject({ status: 'failed', failure: { kind: 'quick-mode-no-proposal' } });
  });

  it('resends message 1 on each TIMER and fails with quick-mode-no-response', () => {
    const { run, quickMode1 } = toQuickMode();
    run.send({ type: 'TIMER' });
    run.send({ type: 'TIMER' });
    expect(run.sent().map((send) => send.bytes)).toEqual([quickMode1.bytes, quickMode1.bytes]);
    run.send({ type: 'TIMER' });
    expect(run.outcome()).toMatchObject({ status: 'failed', failure: { kind: 'quick-mode-no-response', sends: 3 } });
  });

  it('ignores a message 2 whose HASH(2) does not verify, and keeps waiting', () => {
    const { run, gw, quickMode1 } = toQuickMode();
    run.datagram(answerQuickMode1(gw.sa, gw.sa.ivChains, quickMode1.bytes, { tamperHash: true }).message2);
    expect(run.state()).toBe('quickMode');
  });

  it('unconfirmed: a repeated message 2 gets message 3 again and restarts the wait; silence then confirms', () => {
    const { run, gw, quickMode1 } = toQuickMode();
    const quickMode = answerQuickMode1(gw.sa, gw.sa.ivChains, quickMode1.bytes);
    run.datagram(quickMode.message2);
    const [message3] = run.sent();
    run.datagram(quickMode.message2);
    const again = run.take();
    expect(sendsOf(again).map((send) => send.bytes)).toEqual([message3!.bytes]);
    expect(again.filter((event) => event.type === 'set-timer')).toEqual([{ type: 'set-timer', afterMs: timing.message3QuietMs }]);
    expect(run.state()).toBe('unconfirmed');
    run.send({ type: 'TIMER' });
    expect(run.outcome()).toMatchObject({ status: 'established', quickModeConfirmation: 'quiet-period' });
  });

  it('unconfirmed: message 2 taken with its padding changed (HASH(2) verified, IV wrong) is replaced by the gateway\'s own copy, and message 3 rebuilt from it', () => {
    const { run, gw, quickMode1 } = toQuickMode();
    const quickMode = answerQuickMode1(gw.sa, gw.sa.ivChains, quickMode1.bytes);
    // The last byte sits in the last cipher block: padding, which HASH(2) does not cover.
    const changed = Buffer.from(quickMode.message2);
    changed[changed.length - 1] = changed[changed.length - 1]! ^ 0xff;
    run.datagram(changed);
    const [message3UnderWrongIv] = run.sent();
    expect(run.state()).toBe('unconfirmed');
    run.datagram(quickMode.message2);
    const again = run.take();
    const [rebuilt] = sendsOf(again);
    expect(rebuilt!.bytes).not.toEqual(message3UnderWrongIv!.bytes);
    expect(again.filter((event) => event.type === 'set-timer')).toEqual([{ type: 'set-timer', afterMs: timing.message3QuietMs }]);
    // The gateway's copy is now the one a further repeat is matched against: message 3 as rebuilt.
    run.datagram(quickMode.message2);
    expect(run.sent().map((send) => send.bytes)).toEqual([rebuilt!.bytes]);
    expect(run.state()).toBe('unconfirmed');
  });

  it('unconfirmed: ESP under our inbound SPI confirms at once; ESP under another SPI does not', () => {
    const { run, gw, quickMode1 } = toQuickMode();
    run.datagram(answerQuickMode1(gw.sa, gw.sa.ivChains, quickMode1.bytes).message2);
    run.send({ type: 'ESP_RECEIVED', spi: Buffer.from('deadbeef', 'hex') });
    expect(run.state()).toBe('unconfirmed');
    run.send({ type: 'ESP_RECEIVED', spi: qmRandomness.spi });
    expect(run.outcome()).toMatchObject({ status: 'established', quickModeConfirmation: 'esp' });
  });

  it('unconfirmed: a gateway that keeps repeating message 2 fails the tunnel (quick-mode-unconfirmed), never established', () => {
    const { run, gw, quickMode1 } = toQuickMode();
    const quickMode = answerQuickMode1(gw.sa, gw.sa.ivChains, quickMode1.bytes);
    run.datagram(quickMode.message2);
    // maxQuickMode3Resends defaults to 3: three repeats get message 3 again, the fourth ends it.
    for (let repeat = 0; repeat < 4; repeat++) run.datagram(quickMode.message2);
    expect(run.outcome()).toMatchObject({ status: 'failed', failure: { step: 'unconfirmed', kind: 'quick-mode-unconfirmed', sends: 4 } });
  });

  it('once established: resends message 3 for a repeated message 2, answers DPD, and deletes both SAs on CLOSE', () => {
    const { run, gw, quickMode1 } = toQuickMode();
    const quickMode = answerQuickMode1(gw.sa, gw.sa.ivChains, quickMode1.bytes);
    run.datagram(quickMode.message2);
    const [message3] = run.sent();
    run.send({ type: 'TIMER' });
    run.datagram(quickMode.message2);
    expect(run.sent().map((send) => send.bytes)).toEqual([message3!.bytes]);
    const spi = Buffer.concat([gw.sa.initiatorCookie, gw.sa.responderCookie]);
    run.datagram(gw.informational(0x31, [notifyPayload({ notifyType: NotifyType.R_U_THERE, spi, data: Buffer.from([0, 0, 0, 5]) })]));
    const [dpdAck] = run.sent();
    expect(gw.open(dpdAck!.bytes).payloads[1]).toMatchObject({ notifyType: NotifyType.R_U_THERE_ACK, data: Buffer.from([0, 0, 0, 5]) });
    run.send({ type: 'CLOSE' });
    const [espDelete, isakmpDelete] = run.sent();
    expect(gw.open(espDelete!.bytes).payloads[1]).toMatchObject({ type: 'delete', protocolId: ProtocolId.IPSEC_ESP, spis: [qmRandomness.spi] });
    expect(gw.open(isakmpDelete!.bytes).payloads[1]).toMatchObject({ type: 'delete', protocolId: ProtocolId.ISAKMP });
    expect(run.outcome()).toMatchObject({ status: 'closed', by: 'us' });
  });

  it('closes when the gateway deletes the IPsec SA, naming it by its own SPI', () => {
    const { run, gw, quickMode1 } = toQuickMode();
    const quickMode = answerQuickMode1(gw.sa, gw.sa.ivChains, quickMode1.bytes);
    run.datagram(quickMode.message2);
    run.send({ type: 'TIMER' });
    run.datagram(gw.informational(0x33, [deletePayload({ protocolId: ProtocolId.IPSEC_ESP, spis: [quickMode.responderSpi] })]));
    expect(run.outcome()).toMatchObject({ status: 'closed', by: 'peer' });
  });

  it('closes when the gateway deletes the ISAKMP SA', () => {
    const { run, gw, quickMode1 } = toQuickMode();
    run.datagram(answerQuickMode1(gw.sa, gw.sa.ivChains, quickMode1.bytes).message2);
    run.send({ type: 'TIMER' });
    const spi = Buffer.concat([gw.sa.initiatorCookie, gw.sa.responderCookie]);
    run.datagram(gw.informational(0x32, [deletePayload({ protocolId: ProtocolId.ISAKMP, spis: [spi] })]));
    expect(run.outcome()).toMatchObject({ status: 'closed', by: 'peer' });
  });
});

describe('tunnelMachine, Phase 1', () => {
  it('passes a Phase 1 failure on, naming the step', () => {
    const run = start(seedTunnel({ phase1: seedClientOptions({ preSharedKey: Buffer.from('wrong') }) }));
    run.send({ type: 'START' });
    const [message1] = run.sent();
    run.datagram(answerAggressive1(message1!.bytes, gatewaySetup).message2);
    expect(run.outcome()).toMatchObject({ status: 'failed', failure: { step: 'phase1', kind: 'hash-r-mismatch' } });
  });

  it('after Phase 1 was taken as done by silence, a repeated message 2 gets message 3 again (as often as Phase 1 sends it)', () => {
    const run = start(seedTunnel());
    run.send({ type: 'START' });
    const [message1] = run.sent();
    const { message2 } = answerAggressive1(message1!.bytes, gatewaySetup);
    run.datagram(message2);
    const [message3] = run.sent();
    run.send({ type: 'TIMER' });
    expect(run.state()).toBe('xauth');
    run.take();
    for (let repeat = 0; repeat < timing.retransmitTimeoutsMs.length + 1; repeat++) run.datagram(message2);
    // One resend per repeat, up to the Phase 1 send count; then only noted.
    expect(run.sent().map((send) => send.bytes)).toEqual(timing.retransmitTimeoutsMs.map(() => message3!.bytes));
    expect(run.state()).toBe('xauth');
  });

  it('passes Phase 1\'s retransmissions through the same TIMER event', () => {
    const run = start(seedTunnel());
    run.send({ type: 'START' });
    const [message1] = run.sent();
    run.send({ type: 'TIMER' });
    expect(run.sent().map((send) => send.bytes)).toEqual([message1!.bytes]);
  });
});
