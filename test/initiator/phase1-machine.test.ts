import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { attributePayload, deletePayload, emptyAttribute, encodeMessage, notifyPayload } from '../../src/ike/codec/index.js';
import { CfgType, ExchangeType, ModeCfgAttribute, NotifyType, ProtocolId } from '../../src/ike/constants.js';
import type { InitiatorOptions, TransportPaths } from '../../src/initiator/index.js';
import { phase1Machine, phase1Outcome, type Phase1Emitted, type Phase1Event } from '../../src/initiator/phase1-machine.js';
import { fixedRandomness, phase1Path, seedClientOptions } from './support/fixtures.js';
import { answerAggressive1, openFromInitiator, readAggressive3, sealFromResponder, type TinyResponderSa } from './support/tiny-responder.js';

const timing = { retransmitTimeoutsMs: [100, 200, 400], message3QuietMs: 500 };
const responderSetup = { preSharedKey: Buffer.from('PSKEY1'), identity: { kind: 'ipv4-address', address: '172.16.0.254' } as const };
const natTPath = { local: { address: '192.0.2.132', port: 4500 }, remote: { address: '172.16.0.254', port: 4500 } };

function start(options: InitiatorOptions = seedClientOptions(), paths: TransportPaths = { isakmp: phase1Path }) {
  let messageIds = 0x100;
  const actor = createActor(phase1Machine, { input: { options, randomness: fixedRandomness, paths, timing, nextMessageId: () => messageIds++ } });
  const emitted: Phase1Emitted[] = [];
  actor.on('*', (event) => emitted.push(event));
  actor.start();
  const take = () => emitted.splice(0);
  const sent = () => take().flatMap((event) => (event.type === 'send' ? [event] : []));
  const send = (event: Phase1Event) => actor.send(event);
  return { actor, take, sent, send, state: () => actor.getSnapshot().value, outcome: () => phase1Outcome(actor.getSnapshot()) };
}

/** Runs messages 1 and 2 against the tiny responder and returns what message 3 looked like. */
function throughMessage3(options = seedClientOptions(), paths?: TransportPaths, responder: Partial<Parameters<typeof answerAggressive1>[1]> = {}) {
  const run = start(options, paths);
  run.send({ type: 'START' });
  const [message1] = run.sent();
  const { message2, sa } = answerAggressive1(message1!.bytes, { ...responderSetup, ...responder });
  run.send({ type: 'DATAGRAM', bytes: message2, path: 'isakmp' });
  const events = run.take();
  const message3 = events.find((event): event is Extract<Phase1Emitted, { type: 'send' }> => event.type === 'send')!;
  const responderSa: TinyResponderSa = { ...sa, ivChains: readAggressive3(sa, message3.bytes).ivChains };
  return { run, message2, message3, events, responder: responderSa };
}

describe('phase1Machine', () => {
  it('sends message 1 on START and arms the first retransmission timer', () => {
    const run = start();
    expect(run.state()).toBe('idle');
    run.send({ type: 'START' });
    const events = run.take();
    expect(events.map((event) => event.type)).toEqual(['send', 'set-timer']);
    expect(events[0]).toMatchObject({ path: 'isakmp', entry: { direction: 'sent', exchange: 'AGGRESSIVE', note: 'message 1' } });
    expect(events[1]).toEqual({ type: 'set-timer', afterMs: 100 });
    expect(run.state()).toBe('sentAggressive1');
  });

  it('repeats the same message 1 on each TIMER and gives up after the last timeout', () => {
    const run = start();
    run.send({ type: 'START' });
    const [first] = run.sent();
    run.send({ type: 'TIMER' });
    const second = run.take();
    expect(second[0]).toMatchObject({ type: 'send', bytes: first!.bytes });
    expect(second[1]).toEqual({ type: 'set-timer', afterMs: 200 });
    run.send({ type: 'TIMER' });
    expect(run.sent()).toHaveLength(1);
    run.send({ type: 'TIMER' });
    expect(run.outcome()).toMatchObject({ status: 'failed', failure: { kind: 'no-response', sends: 3 } });
  });

  it('answers a verified message 2 with message 3 as the options say, and waits for a verdict', () => {
    const { run, events, responder, message3 } = throughMessage3();
    expect(run.state()).toBe('sentAggressive3');
    expect(events.map((event) => event.type)).toEqual(['received', 'send', 'set-timer']);
    expect(events[0]).toMatchObject({ entry: { note: 'message 2: HASH_R verified' } });
    expect(events[2]).toEqual({ type: 'set-timer', afterMs: 500 });
    expect(message3.path).toBe('isakmp');
    expect(readAggressive3(responder, message3.bytes)).toMatchObject({ hashIVerifies: true, header: { flags: 0 } });
  });

  it('takes silence after message 3 as acceptance and says so', () => {
    const { run } = throughMessage3();
    run.send({ type: 'TIMER' });
    expect(run.outcome()).toMatchObject({ status: 'established', confirmation: 'quiet-period' });
    expect(run.take()).toEqual([{ type: 'note', text: 'no answer to message 3 within 500 ms: taken as accepted' }]);
  });

  it('is confirmed by a DPD request the SA authenticates, and acknowledges it', () => {
    const { run, responder } = throughMessage3(seedClientOptions({ message3: { encrypt: true } }));
    const spi = Buffer.concat([responder.initiatorCookie, responder.responderCookie]);
    const request = sealFromResponder(responder, responder.ivChains, ExchangeType.INFORMATIONAL, 77, [notifyPayload({ notifyType: NotifyType.R_U_THERE, spi, data: Buffer.from([0, 0, 0, 42]) })]);
    run.send({ type: 'DATAGRAM', bytes: request, path: 'isakmp' });
    expect(run.outcome()).toMatchObject({ status: 'established', confirmation: 'peer-message' });
    const [ack] = run.sent();
    const opened = openFromInitiator(responder, responder.ivChains, ack!.bytes);
    expect(opened.hashVerifies).toBe(true);
    expect(opened.payloads[1]).toMatchObject({ notifyType: NotifyType.R_U_THERE_ACK, data: Buffer.from([0, 0, 0, 42]) });
  });

  it('is confirmed by an authenticated Transaction message, which it keeps for the next exchange', () => {
    const { run, responder } = throughMessage3();
    const xauthRequest = sealFromResponder(responder, responder.ivChains, ExchangeType.TRANSACTION, 0xcc65a872, [
      attributePayload(CfgType.REQUEST, [emptyAttribute(ModeCfgAttribute.XAUTH_USER_NAME), emptyAttribute(ModeCfgAttribute.XAUTH_USER_PASSWORD)]),
    ]);
    run.send({ type: 'DATAGRAM', bytes: xauthRequest, path: 'isakmp' });
    expect(run.outcome()).toMatchObject({ status: 'established', confirmation: 'peer-message', pendingDatagram: { bytes: xauthRequest, path: 'isakmp' } });
  });

  it('is not fooled by a Transaction message that fails its HASH', () => {
    const { run, responder } = throughMessage3();
    const forged = sealFromResponder(responder, responder.ivChains, ExchangeType.TRANSACTION, 1, [attributePayload(CfgType.REQUEST, [])], true);
    run.send({ type: 'DATAGRAM', bytes: forged, path: 'isakmp' });
    expect(run.state()).toBe('sentAggressive3');
  });

  it('resends message 3 when message 2 comes again, and fails once the resends are spent', () => {
    const { run, message2, message3 } = throughMessage3(seedClientOptions({ message3: { encrypt: true } }));
    run.send({ type: 'DATAGRAM', bytes: message2, path: 'isakmp' });
    const resent = run.sent();
    expect(resent).toHaveLength(1);
    expect(resent[0]!.bytes).toEqual(message3.bytes);
    run.send({ type: 'DATAGRAM', bytes: message2, path: 'isakmp' });
    run.send({ type: 'DATAGRAM', bytes: message2, path: 'isakmp' });
    expect(run.outcome()).toMatchObject({ status: 'failed', failure: { kind: 'message-3-not-accepted', sends: 3 } });
  });

  it('fails on an error notify after message 3, even an unprotected one', () => {
    const { run, responder } = throughMessage3(seedClientOptions({ message3: { encrypt: true } }));
    const malformed = encodeMessage(
      { initiatorCookie: responder.initiatorCookie, responderCookie: responder.responderCookie, exchangeType: ExchangeType.INFORMATIONAL, flags: 0, messageId: 0 },
      [notifyPayload({ notifyType: NotifyType.PAYLOAD_MALFORMED })],
    );
    run.send({ type: 'DATAGRAM', bytes: malformed, path: 'isakmp' });
    expect(run.outcome()).toMatchObject({ status: 'failed', failure: { kind: 'notify-received', protected: false, notifies: [{ name: 'PAYLOAD-MALFORMED' }] } });
  });

  it('fails on a wrong pre-shared key without sending message 3', () => {
    const run = start(seedClientOptions({ preSharedKey: Buffer.from('not-the-key') }));
    run.send({ type: 'START' });
    const [message1] = run.sent();
    run.send({ type: 'DATAGRAM', bytes: answerAggressive1(message1!.bytes, responderSetup).message2, path: 'isakmp' });
    expect(run.take().map((event) => event.type)).toEqual(['received', 'clear-timer']);
    expect(run.outcome()).toMatchObject({ status: 'failed', failure: { kind: 'hash-r-mismatch' } });
  });

  it('ignores datagrams of other exchanges while it waits for message 2', () => {
    const run = start();
    run.send({ type: 'START' });
    const [message1] = run.sent();
    const { message2 } = answerAggressive1(message1!.bytes, responderSetup);
    run.send({ type: 'DATAGRAM', bytes: Buffer.concat([Buffer.alloc(8, 1), message2.subarray(8)]), path: 'isakmp' });
    expect(run.state()).toBe('sentAggressive1');
    run.send({ type: 'DATAGRAM', bytes: message2, path: 'isakmp' });
    expect(run.state()).toBe('sentAggressive3');
  });

  it('floats message 3 to the NAT-T path when a NAT is detected', () => {
    const options = seedClientOptions({ vendorIds: ['XAUTH', 'NAT_T_RFC3947'], natTraversal: 'on' });
    const { message3, run } = throughMessage3(options, { isakmp: phase1Path, natT: natTPath }, {
      vendorIds: ['NAT_T_RFC3947'],
      natD: { initiatorSeenAt: { address: '203.0.113.5', port: 1024 }, responderAt: phase1Path.remote },
    });
    expect(message3.path).toBe('nat-t');
    run.send({ type: 'TIMER' });
    const outcome = run.outcome();
    expect(outcome.status === 'established' && outcome.sa.natTraversal).toMatchObject({ method: 'rfc3947', localBehindNat: true, floated: true });
  });

  it('deletes the SA on CLOSE, and closes when the peer deletes it', () => {
    const local = throughMessage3();
    local.run.send({ type: 'TIMER' });
    local.run.take();
    local.run.send({ type: 'CLOSE' });
    const [deletion] = local.run.sent();
    const opened = openFromInitiator(local.responder, local.responder.ivChains, deletion!.bytes);
    expect(opened.hashVerifies).toBe(true);
    expect(opened.payloads[1]).toMatchObject({ type: 'delete', protocolId: ProtocolId.ISAKMP });
    expect(local.run.outcome()).toMatchObject({ status: 'closed', by: 'us' });

    const remote = throughMessage3();
    remote.run.send({ type: 'TIMER' });
    const spi = Buffer.concat([remote.responder.initiatorCookie, remote.responder.responderCookie]);
    remote.run.send({ type: 'DATAGRAM', path: 'isakmp', bytes: sealFromResponder(remote.responder, remote.responder.ivChains, ExchangeType.INFORMATIONAL, 3, [deletePayload({ protocolId: ProtocolId.ISAKMP, spis: [spi] })]) });
    expect(remote.run.outcome()).toMatchObject({ status: 'closed', by: 'peer' });
  });
});
