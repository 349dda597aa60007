import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { dhGroup } from '../../src/ike/crypto/index.js';
import type { InitiatorOptions } from '../../src/initiator/index.js';
import { mainModeInitiatorMachine, mainModeOutcome } from '../../src/initiator/main-mode-machine.js';
import type { Phase1Emitted } from '../../src/initiator/phase1-machine.js';
import type { RtxIkeResponder } from '../../src/ike-responder/responder.js';
import { CLIENT, ROUTER, T0, inbound, newResponder, seedGateway, sends } from '../ike-responder/support.js';

const timing = { retransmitTimeoutsMs: [100, 200, 400], message3QuietMs: 500 };

const SITE_OPTIONS: InitiatorOptions = {
  exchangeMode: 'main',
  identity: { kind: 'ipv4-address', address: CLIENT.address },
  preSharedKey: Buffer.from('SITEKEY'),
  proposals: [{ encryption: '3des-cbc', hash: 'sha1', group: 2, authMethod: 'pre-shared-key', lifeSeconds: 28800 }],
  vendorIds: [],
  natTraversal: 'off',
  message3: { encrypt: true },
};

/** The real responder with a gateway naming the client's address. */
function siteResponder(remoteAddress = CLIENT.address): RtxIkeResponder {
  return newResponder([seedGateway({ remoteAddress: { kind: 'ip', address: remoteAddress }, preSharedKey: { kind: 'text', text: 'SITEKEY' }, xauth: { request: false } })]);
}

function start(options: InitiatorOptions = SITE_OPTIONS) {
  const randomness = { initiatorCookie: Buffer.from('0102030405060708', 'hex'), nonce: Buffer.alloc(32, 0x11), dhPrivateKey: Buffer.alloc(dhGroup(2).privateExponentLength, 0x22) };
  const actor = createActor(mainModeInitiatorMachine, { input: { options, randomness, paths: { isakmp: { local: CLIENT, remote: ROUTER } }, timing } });
  const emitted: Phase1Emitted[] = [];
  actor.on('*', (event) => emitted.push(event));
  actor.start();
  const take = () => emitted.splice(0);
  return { actor, take, state: () => actor.getSnapshot().value, outcome: () => mainModeOutcome(actor.getSnapshot()) };
}

/** Carries each datagram the client sends to the responder and its answers back, until quiet. */
function exchange(run: ReturnType<typeof start>, responder: RtxIkeResponder, rounds = 3): void {
  for (let round = 0; round < rounds; round++) {
    const out = run.take().flatMap((event) => (event.type === 'send' ? [event] : []));
    for (const datagram of out) {
      for (const answer of sends(responder.receive(inbound(datagram.bytes), T0 + round))) run.actor.send({ type: 'DATAGRAM', bytes: answer.bytes, path: 'isakmp' });
    }
  }
}

describe('mainModeInitiatorMachine', () => {
  it('sends message 1 (exchange type Identity Protection) on START and arms the first timer', () => {
    const run = start();
    run.actor.send({ type: 'START' });
    const events = run.take();
    expect(events.map((event) => event.type)).toEqual(['send', 'set-timer']);
    expect(events[0]).toMatchObject({ path: 'isakmp', entry: { direction: 'sent', exchange: 'IDENTITY-PROTECTION', note: 'Main Mode message 1' } });
    expect(run.state()).toBe('sentMainMode1');
  });

  it('repeats the outstanding message on each TIMER and gives up after the last timeout', () => {
    const run = start();
    run.actor.send({ type: 'START' });
    const first = run.take()[0];
    run.actor.send({ type: 'TIMER' });
    expect(run.take()).toEqual([expect.objectContaining({ type: 'send', bytes: first?.type === 'send' ? first.bytes : undefined }), { type: 'set-timer', afterMs: 200 }]);
    run.actor.send({ type: 'TIMER' });
    run.actor.send({ type: 'TIMER' });
    expect(run.outcome()).toMatchObject({ status: 'failed', failure: { kind: 'no-response', sends: 3, text: 'no answer to Main Mode message 1 after 3 sends' } });
  });

  it('goes through messages 1 to 6 with the rtxlab responder and ends established on HASH_R, not on silence', () => {
    const run = start();
    const responder = siteResponder();
    run.actor.send({ type: 'START' });
    exchange(run, responder);
    const outcome = run.outcome();
    expect(outcome).toMatchObject({ status: 'established', confirmation: 'peer-message' });
    if (outcome.status !== 'established') return;
    expect(outcome.lastMessages).toBeUndefined();
    expect(outcome.sa.responderIdentity).toEqual({ kind: 'ipv4-address', address: '172.16.0.254' });
    expect(responder.isakmpSas()).toEqual([expect.objectContaining({ state: 'established', exchange: 'main' })]);
  });

  it('resends message 3 when message 4 does not come', () => {
    const run = start();
    const responder = siteResponder();
    run.actor.send({ type: 'START' });
    const message1 = run.take().find((event) => event.type === 'send');
    if (message1?.type !== 'send') throw new Error('no message 1');
    for (const answer of sends(responder.receive(inbound(message1.bytes), T0))) run.actor.send({ type: 'DATAGRAM', bytes: answer.bytes, path: 'isakmp' });
    const message3 = run.take().find((event) => event.type === 'send');
    expect(run.state()).toBe('sentMainMode3');
    run.actor.send({ type: 'TIMER' });
    const resent = run.take();
    expect(resent[0]).toMatchObject({ type: 'send', bytes: message3?.type === 'send' ? message3.bytes : undefined, entry: { note: 'Main Mode message 3, retransmission 1' } });
  });

  it('fails on the responder notify when the pre-shared keys differ', () => {
    const run = start({ ...SITE_OPTIONS, preSharedKey: Buffer.from('OTHERKEY') });
    run.actor.send({ type: 'START' });
    exchange(run, siteResponder());
    expect(run.outcome()).toMatchObject({ status: 'failed', failure: { kind: 'notify-received', protected: false, notifies: [expect.objectContaining({ name: 'PAYLOAD-MALFORMED' })] } });
  });

  it('fails with NO-PROPOSAL-CHOSEN when no gateway names its address', () => {
    const run = start();
    run.actor.send({ type: 'START' });
    exchange(run, siteResponder('198.51.100.9'));
    expect(run.outcome()).toMatchObject({ status: 'failed', failure: { kind: 'notify-received', notifies: [expect.objectContaining({ name: 'NO-PROPOSAL-CHOSEN' })] } });
  });

  it('ignores a message of another exchange and keeps waiting', () => {
    const run = start();
    run.actor.send({ type: 'START' });
    run.take();
    const other = start();
    other.actor.send({ type: 'START' });
    const foreign = other.take().find((event) => event.type === 'send');
    if (foreign?.type !== 'send') throw new Error('no message');
    const bytes = Buffer.from(foreign.bytes);
    bytes[0] = bytes[0]! ^ 0xff; // another initiator cookie
    run.actor.send({ type: 'DATAGRAM', bytes, path: 'isakmp' });
    expect(run.take()).toEqual([expect.objectContaining({ type: 'received', entry: expect.objectContaining({ note: 'ignored: initiator cookie of another exchange' }) })]);
    expect(run.state()).toBe('sentMainMode1');
  });

  it('closes an established SA with a Delete', () => {
    const run = start();
    run.actor.send({ type: 'START' });
    exchange(run, siteResponder());
    expect(run.take()).toEqual([expect.objectContaining({ type: 'received', entry: expect.objectContaining({ note: 'Main Mode message 6: HASH_R verified' }) }), { type: 'clear-timer' }]);
    run.actor.send({ type: 'CLOSE' });
    expect(run.take()).toEqual([{ type: 'clear-timer' }, expect.objectContaining({ type: 'send', entry: expect.objectContaining({ note: 'Delete of the ISAKMP SA' }) })]);
    expect(run.outcome()).toMatchObject({ status: 'closed', by: 'us' });
  });
});
