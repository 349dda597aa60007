import { describe, expect, it } from 'vitest';
import {
  LAST_SEQUENCE_NUMBER,
  NextHeader,
  createInboundSa,
  createOutboundSa,
  outboundLifetimeStatus,
  receiveEspPacket,
  retireReplacedSa,
  sendEspPacket,
  type OutboundSaState,
  type OutboundStep,
} from '../../src/esp/index.js';
import { TRIPLE_DES_SHA1, testSa } from './support/test-sas.js';

const NOW = Date.UTC(2024, 0, 1);
const sa = testSa(TRIPLE_DES_SHA1);
const fresh = (): OutboundSaState => createOutboundSa(sa, { lifetime: { seconds: 28800 }, now: NOW });
const inner = Buffer.alloc(84, 0x45);

function sendMany(state: OutboundSaState, count: number, now = NOW): OutboundStep[] {
  const steps: OutboundStep[] = [];
  for (let i = 0; i < count; i++) {
    const step = sendEspPacket(state, inner, NextHeader.IPV4, now);
    steps.push(step);
    state = step.state;
  }
  return steps;
}

describe('outbound SA', () => {
  it('numbers packets 1, 2, 3, ... (RFC 4303 §2.2) and counts packets and inner octets', () => {
    const steps = sendMany(fresh(), 3);
    expect(steps.map((step) => step.outcome.kind === 'sealed' && step.outcome.packet.readUInt32BE(4))).toEqual([1, 2, 3]);
    expect(steps.map((step) => step.outcome.kind === 'sealed' && step.outcome.sequenceNumber)).toEqual([1, 2, 3]);
    expect(steps[2]!.state.counters).toMatchObject({ packets: 3, octets: 252 });
    expect(steps[2]!.state.lastSequenceNumber).toBe(3);
  });

  it('seals what the peer’s inbound SA opens', () => {
    let receiver = createInboundSa(sa, { lifetime: {}, now: NOW });
    for (const step of sendMany(fresh(), 5)) {
      if (step.outcome.kind !== 'sealed') throw new Error('refused');
      const received = receiveEspPacket(receiver, step.outcome.packet, NOW);
      expect(received.outcome).toMatchObject({ kind: 'delivered', packet: inner });
      receiver = received.state;
    }
  });

  it('never wraps: after 2^32-1 it refuses, counts the refusal and reports the SA used up', () => {
    const nearTheEnd: OutboundSaState = { ...fresh(), lastSequenceNumber: LAST_SEQUENCE_NUMBER - 1 };
    const [lastOne, refused] = sendMany(nearTheEnd, 2);
    expect(lastOne!.outcome).toMatchObject({ kind: 'sealed', sequenceNumber: LAST_SEQUENCE_NUMBER });
    expect(refused!.outcome).toEqual({ kind: 'refused', reason: 'sequence-exhausted' });
    expect(refused!.state.counters.refusals).toEqual({ 'sequence-exhausted': 1, 'sa-expired': 0 });
    expect(refused!.state.lastSequenceNumber).toBe(LAST_SEQUENCE_NUMBER);
    expect(outboundLifetimeStatus(refused!.state, NOW)).toEqual({ kind: 'hard-expired', by: 'sequence' });
  });

  it('reports soft expiry (time to rekey) while still sealing, and refuses after the hard limit', () => {
    const state = fresh();
    expect(outboundLifetimeStatus(state, NOW + 21_600_000)).toEqual({ kind: 'soft-expired', by: 'time' });
    expect(sendEspPacket(state, inner, NextHeader.IPV4, NOW + 21_600_000).outcome.kind).toBe('sealed');
    expect(sendEspPacket(state, inner, NextHeader.IPV4, NOW + 28_800_000).outcome).toEqual({ kind: 'refused', reason: 'sa-expired' });
  });

  it('counts octets against a kilobyte lifetime', () => {
    const steps = sendMany(createOutboundSa(sa, { lifetime: { kilobytes: 1 }, now: NOW }), 14);
    // 84-octet packets: 13 bring 1092 >= 1024 octets, the 14th is refused.
    expect(steps.map((step) => step.outcome.kind).indexOf('refused')).toBe(13);
  });

  it('the replaced outbound SA stops 30 s after its replacement', () => {
    const replaced = retireReplacedSa(fresh(), NOW + 5000);
    expect(sendEspPacket(replaced, inner, NextHeader.IPV4, NOW + 34_999).outcome.kind).toBe('sealed');
    expect(sendEspPacket(replaced, inner, NextHeader.IPV4, NOW + 35_000).outcome).toEqual({ kind: 'refused', reason: 'sa-expired' });
  });
});
