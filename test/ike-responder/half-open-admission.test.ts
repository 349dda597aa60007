import { describe, expect, it } from 'vitest';
import { admitFirstMessage, type AdmissionLimits, type HalfOpenNegotiation } from '../../src/ike-responder/half-open-admission.js';
import { buildAggressive3, processAggressive2 } from '../../src/initiator/index.js';
import { CLIENT, ROUTER, T0, clientMessage1, establish, inbound, logLines, newResponder, onlySend, seedGateway, sends } from './support.js';

const LIMITS: AdmissionLimits = { maxHalfOpenSas: 4, maxHalfOpenSasPerPeer: 2, halfOpenTimeoutWhenFullMs: 10_000, maxIsakmpSas: 10, halfOpenPeer: 'address-port' };
const at = (address: string, port = 500) => ({ address, port });
const negotiation = (name: string, peer = at(`198.51.100.${name.length}`), openedAt = T0): HalfOpenNegotiation<string> => ({ entry: name, peer, openedAt });

describe('admitting a new message 1 (pure rule)', () => {
  it('admits with nothing to do while there is room', () => {
    expect(admitFirstMessage([negotiation('a')], 0, CLIENT, T0, LIMITS)).toEqual({ admit: true, expired: [], evicted: [] });
  });

  it('a peer at its limit gives up its own oldest, never another peer\'s', () => {
    const flooder = at('203.0.113.9', 4000);
    const halfOpen = [negotiation('other', at('198.51.100.1')), negotiation('f1', flooder), negotiation('f2', flooder)];
    expect(admitFirstMessage(halfOpen, 0, flooder, T0, LIMITS)).toEqual({ admit: true, expired: [], evicted: [{ entry: 'f1', reason: 'peer-limit' }] });
  });

  it('"peer" is address and port by default; `address` makes every port of an address one peer', () => {
    const halfOpen = [negotiation('p1', at('203.0.113.9', 4001)), negotiation('p2', at('203.0.113.9', 4002))];
    expect(admitFirstMessage(halfOpen, 0, at('203.0.113.9', 4003), T0, LIMITS)).toMatchObject({ evicted: [] });
    expect(admitFirstMessage(halfOpen, 0, at('203.0.113.9', 4003), T0, { ...LIMITS, halfOpenPeer: 'address' })).toMatchObject({ evicted: [{ entry: 'p1', reason: 'peer-limit' }] });
  });

  it('a full table: negotiations past the shortened time expire; if that frees nothing, the oldest goes', () => {
    const full = ['a', 'bb', 'ccc', 'dddd'].map((name, index) => negotiation(name, undefined, T0 + index * 1_000));
    expect(admitFirstMessage(full, 0, CLIENT, T0 + 11_000, LIMITS)).toEqual({ admit: true, expired: ['a', 'bb'], evicted: [] });
    expect(admitFirstMessage(full, 0, CLIENT, T0 + 5_000, LIMITS)).toEqual({ admit: true, expired: [], evicted: [{ entry: 'a', reason: 'table-full' }] });
  });

  it('established SAs are never displaced: they count against the SA cap, half-open ones give way, and when established ones alone fill it the newcomer is refused', () => {
    const halfOpen = [negotiation('a'), negotiation('bb')];
    expect(admitFirstMessage(halfOpen, 7, CLIENT, T0, LIMITS)).toEqual({ admit: true, expired: [], evicted: [] });
    expect(admitFirstMessage(halfOpen, 8, CLIENT, T0, LIMITS)).toEqual({ admit: true, expired: [], evicted: [{ entry: 'a', reason: 'table-full' }] });
    expect(admitFirstMessage(halfOpen, 9, CLIENT, T0, LIMITS)).toMatchObject({ admit: true, evicted: [{ entry: 'a' }, { entry: 'bb' }] });
    expect(admitFirstMessage(halfOpen, 10, CLIENT, T0, LIMITS)).toEqual({ admit: false, reason: 'established-sas-fill-the-table' });
  });
});

/** Message 1 of one client, sent as-is from many addresses: each is a new negotiation to the router. */
function flood(responder: ReturnType<typeof newResponder>, count: number, from: (index: number) => { address: string; port: number }, now: (index: number) => number) {
  const { bytes } = clientMessage1({}, 'flood');
  let answered = 0;
  for (let index = 0; index < count; index++) {
    const datagram = Buffer.from(bytes);
    // A fresh initiator cookie each time, as a flooder would send (same bytes otherwise).
    datagram.writeUInt32BE(index, 4);
    answered += sends(responder.receive(inbound(datagram, from(index)), now(index))).length;
  }
  return answered;
}

describe('a flood of message 1s against the responder (bounded count, fake time)', () => {
  it('from other addresses: a legitimate client\'s message 1 and 3 between flood datagrams still establish, and the table stays bounded', () => {
    const responder = newResponder([seedGateway()]);
    // 200 message 1s per second: 250 before the client, 60 between its message 2 and message 3.
    const floodAt = (index: number) => T0 + index * 5;
    const floodFrom = (index: number) => at(`203.0.113.${index % 250}`, 500 + Math.floor(index / 250));
    expect(flood(responder, 250, floodFrom, floodAt)).toBe(250);
    const client = clientMessage1();
    const message2 = onlySend(responder.receive(inbound(client.bytes), T0 + 1_250));
    flood(responder, 60, (index) => floodFrom(250 + index), (index) => floodAt(250 + index));
    const processed = processAggressive2(client.state, message2.bytes, { local: CLIENT, remote: ROUTER });
    if (!processed.ok) throw new Error(processed.failure.text);
    responder.receive(inbound(buildAggressive3(processed.state, { encrypt: false }).bytes), T0 + 1_560);
    expect(responder.isakmpSas().filter((sa) => sa.state === 'established').map((sa) => sa.peer)).toEqual([CLIENT]);
    // The table never held more than its 100 half-open SAs; the client's is now established.
    expect(responder.tableSizes()).toMatchObject({ halfOpen: 99, isakmpSas: 100 });
  });

  it('from one endpoint: it holds at most its per-peer share; every other negotiation stays', () => {
    const responder = newResponder([seedGateway()], { limits: { maxHalfOpenSasPerPeer: 5 } });
    const others = [1, 2, 3].map((n) => at(`198.51.100.${n}`));
    for (const peer of others) responder.receive(inbound(clientMessage1().bytes, peer), T0);
    const flooder = at('203.0.113.7', 40_000);
    let evictions = 0;
    const { bytes } = clientMessage1({}, 'one-peer-flood');
    for (let index = 0; index < 300; index++) {
      const datagram = Buffer.from(bytes);
      datagram.writeUInt32BE(index, 4);
      evictions += logLines(responder.receive(inbound(datagram, flooder), T0 + index)).filter((line) => line.includes('dropped to make room')).length;
    }
    // 295 evictions, of which the flooder's drop-line quota (10 per minute) is logged.
    expect(evictions).toBe(10);
    expect(responder.tableSizes().halfOpen).toBe(8);
    const peers = responder.isakmpSas().map((sa) => sa.peer.address);
    expect(peers.filter((address) => address === flooder.address)).toHaveLength(5);
    expect(peers.filter((address) => address !== flooder.address)).toEqual(others.map((peer) => peer.address));
  });

  it('established SAs survive a flood that fills the SA table', () => {
    const responder = newResponder([seedGateway({ xauth: { request: false } })], { limits: { maxIsakmpSas: 3, maxHalfOpenSas: 3 } });
    establish(responder);
    establish(responder, { from: at('198.51.100.2') });
    flood(responder, 50, (index) => at(`203.0.113.${index}`), () => T0 + 200);
    expect(responder.isakmpSas().map((sa) => sa.state)).toEqual(['established', 'established', 'awaitingAggressive3']);
    establish(responder, { from: at('198.51.100.3') });
    // The table holds three established SAs: a further message 1 is refused, nothing is displaced.
    const refused = responder.receive(inbound(clientMessage1().bytes, at('198.51.100.4')), T0 + 300);
    expect(logLines(refused)).toEqual(['[IKE] too many ISAKMP negotiations (3), message from 198.51.100.4 dropped']);
    expect(responder.isakmpSas().map((sa) => sa.state)).toEqual(['established', 'established', 'established']);
  });
});
