import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  INBOUND_DROP_REASONS,
  NextHeader,
  createInboundSa,
  inboundLifetimeStatus,
  receiveEspPacket,
  retireReplacedSa,
  sealEspPacket,
  type InboundSaState,
  type InboundStep,
} from '../../src/esp/index.js';
import { buildRawEspPacket, plaintextWithTrailer } from './support/raw-esp.js';
import { AES128_SHA1, TRANSFORMS, TRIPLE_DES_SHA1, testSa } from './support/test-sas.js';

const NOW = Date.UTC(2024, 0, 1);
const sa = testSa(TRIPLE_DES_SHA1);
const innerPacket = (marker: number) => Buffer.alloc(60, marker);
const packetWith = (sequenceNumber: number, marker = sequenceNumber & 0xff) => sealEspPacket(sa, sequenceNumber, innerPacket(marker), NextHeader.IPV4);
const fresh = (antiReplay = true): InboundSaState => createInboundSa(sa, { lifetime: { seconds: 28800 }, now: NOW, antiReplay });

/** Feeds packets in order, returning every step. */
function receiveAll(state: InboundSaState, packets: readonly Buffer[], now = NOW): InboundStep[] {
  const steps: InboundStep[] = [];
  for (const packet of packets) {
    const step = receiveEspPacket(state, packet, now);
    steps.push(step);
    state = step.state;
  }
  return steps;
}

const last = (steps: InboundStep[]): InboundStep => steps[steps.length - 1]!;
const outcomes = (steps: InboundStep[]) => steps.map((step) => (step.outcome.kind === 'dropped' ? step.outcome.reason : step.outcome.kind));

describe('inbound SA', () => {
  it('delivers the inner packet with its sequence number and counts packets and inner octets', () => {
    const steps = receiveAll(fresh(), [packetWith(1), packetWith(2)]);
    expect(last(steps).outcome).toEqual({ kind: 'delivered', sequenceNumber: 2, nextHeader: NextHeader.IPV4, packet: innerPacket(2) });
    expect(last(steps).state.counters).toMatchObject({ packets: 2, octets: 120, dummyPackets: 0 });
  });

  it('starts with every drop counter at 0', () => {
    expect(fresh().counters.drops).toEqual(Object.fromEntries(INBOUND_DROP_REASONS.map((reason) => [reason, 0])));
  });

  it('drops a replayed packet and counts it; the first copy still counted once', () => {
    const steps = receiveAll(fresh(), [packetWith(1), packetWith(2), packetWith(2)]);
    expect(last(steps).outcome).toEqual({ kind: 'dropped', reason: 'replayed', sequenceNumber: 2 });
    expect(last(steps).state.counters).toMatchObject({ packets: 2, drops: { replayed: 1 } });
  });

  it('drops a packet behind the 64-packet window as too old, and sequence number 0 as such', () => {
    const steps = receiveAll(fresh(), [packetWith(100), packetWith(36), packetWith(37)]);
    expect(outcomes(steps)).toEqual(['delivered', 'too-old', 'delivered']);
    const zero = buildRawEspPacket(sa, { sequenceNumber: 0, plaintext: plaintextWithTrailer(innerPacket(0), 2, NextHeader.IPV4) });
    expect(receiveEspPacket(fresh(), zero, NOW).outcome).toEqual({ kind: 'dropped', reason: 'sequence-zero', sequenceNumber: 0 });
  });

  it('accepts reordered packets inside the window', () => {
    expect(outcomes(receiveAll(fresh(), [3, 1, 2, 5, 4].map((n) => packetWith(n))))).toEqual(Array(5).fill('delivered'));
  });

  it('moves the window only after the ICV verified: a forged packet with a high sequence number changes nothing', () => {
    const forged = packetWith(1000);
    forged[20]! ^= 1;
    const steps = receiveAll(fresh(), [packetWith(1), forged, packetWith(2)]);
    expect(outcomes(steps)).toEqual(['delivered', 'bad-icv', 'delivered']);
    expect(last(steps).state.window.highest).toBe(2);
    // Had the forgery moved the window, 1000 sent for real would now be a duplicate.
    expect(receiveEspPacket(last(steps).state, packetWith(1000), NOW).outcome.kind).toBe('delivered');
  });

  it('does not move the window for a packet whose ICV verifies but whose padding is wrong', () => {
    const badPadding = buildRawEspPacket(sa, { sequenceNumber: 5, plaintext: Buffer.concat([innerPacket(5), Buffer.of(0, 0, 2, NextHeader.IPV4)]) });
    const steps = receiveAll(fresh(), [badPadding, packetWith(5)]);
    expect(outcomes(steps)).toEqual(['bad-padding', 'delivered']);
  });

  it('with anti-replay-check=off, delivers replays too', () => {
    expect(outcomes(receiveAll(fresh(false), [packetWith(2), packetWith(2), packetWith(1)]))).toEqual(['delivered', 'delivered', 'delivered']);
  });

  it('counts each kind of bad packet under its own reason', () => {
    const tampered = packetWith(1);
    tampered[tampered.length - 1]! ^= 1;
    const steps = receiveAll(fresh(), [
      Buffer.alloc(3),
      packetWith(1).subarray(0, 20),
      tampered,
      sealEspPacket(sa, 2, innerPacket(2), 6),
      packetWith(3),
      packetWith(3),
    ]);
    expect(outcomes(steps)).toEqual(['truncated', 'truncated', 'bad-icv', 'bad-next-header', 'delivered', 'replayed']);
    expect(last(steps).state.counters.drops).toMatchObject({ truncated: 2, 'bad-icv': 1, 'bad-next-header': 1, replayed: 1 });
    expect(last(steps).state.counters.packets).toBe(1);
  });

  it('discards a verified dummy packet (next header 59) without delivering it, but it uses up its sequence number', () => {
    const dummy = sealEspPacket(sa, 1, Buffer.alloc(0), NextHeader.NO_NEXT_HEADER);
    const steps = receiveAll(fresh(), [dummy, dummy]);
    expect(outcomes(steps)).toEqual(['dummy', 'replayed']);
    expect(last(steps).state.counters).toMatchObject({ packets: 0, octets: 0, dummyPackets: 1 });
  });

  it('refuses traffic once the hard lifetime has passed, in time or in octets', () => {
    const timed = receiveEspPacket(fresh(), packetWith(1), NOW + 28_800_000);
    expect(timed.outcome).toEqual({ kind: 'dropped', reason: 'sa-expired', sequenceNumber: 1 });
    let byVolume = createInboundSa(sa, { lifetime: { kilobytes: 1 }, now: NOW });
    const steps = receiveAll(byVolume, Array.from({ length: 20 }, (_, i) => packetWith(i + 1)));
    byVolume = last(steps).state;
    // 60-octet packets: the 18th brings the total to 1080 >= 1024, the 19th is refused.
    expect(outcomes(steps).indexOf('sa-expired')).toBe(18);
    expect(inboundLifetimeStatus(byVolume, NOW)).toEqual({ kind: 'hard-expired', by: 'volume' });
  });

  it('after a rekey, the replaced SA still takes packets for 30 s, then none', () => {
    const replaced = retireReplacedSa(last(receiveAll(fresh(), [packetWith(1)])).state, NOW + 1000);
    expect(receiveEspPacket(replaced, packetWith(2), NOW + 1000 + 29_999).outcome.kind).toBe('delivered');
    expect(receiveEspPacket(replaced, packetWith(2), NOW + 1000 + 30_000).outcome).toMatchObject({ kind: 'dropped', reason: 'sa-expired' });
  });

  it('property: random bytes never throw, and are dropped and counted', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TRANSFORMS, AES128_SHA1), fc.uint8Array({ maxLength: 200 }), (transform, bytes) => {
        const state = createInboundSa(testSa(transform), { lifetime: {}, now: NOW });
        const step = receiveEspPacket(state, Buffer.from(bytes), NOW);
        if (step.outcome.kind !== 'dropped') return transform.integrity === 'none';
        return step.state.counters.drops[step.outcome.reason] === 1;
      }),
      { numRuns: 500 },
    );
  });
});
