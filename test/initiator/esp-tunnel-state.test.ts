import { describe, expect, it } from 'vitest';
import { NextHeader, createEspSa, createInboundSa, createOutboundSa, receiveEspPacket, sendEspPacket } from '../../src/esp/index.js';
import { buildIcmpEchoRequest } from '../../src/esp/ip/index.js';
import { deriveQuickModeKeys } from '../../src/ike/crypto/index.js';
import { createEspTunnelState, espTunnelDrops, openGatewayPacket, sealInnerPacket } from '../../src/initiator/esp-tunnel-state.js';
import type { EspSaPair } from '../../src/ike/initiator/quick-mode.js';

const hex = (text: string): Buffer => Buffer.from(text, 'hex');
const NOW = Date.UTC(2026, 10, 27, 12, 0, 0);

/** Keys as Quick Mode derives them for a 3DES/SHA1 pair: our SPI c0ffee01, the gateway's 5ec0de01. */
const keys = deriveQuickModeKeys({
  hash: 'sha1',
  skeyidD: Buffer.alloc(20, 0x5d),
  protocol: 'esp',
  encryption: '3des-cbc',
  integrity: 'hmac-sha1-96',
  initiatorSpi: hex('c0ffee01'),
  responderSpi: hex('5ec0de01'),
  initiatorNonce: Buffer.alloc(16, 0x11),
  responderNonce: Buffer.alloc(16, 0x22),
});

function pair(overrides: Partial<EspSaPair> = {}): EspSaPair {
  return {
    encryption: '3des-cbc',
    integrity: 'hmac-sha1-96',
    encapsulationMode: 3,
    udpEncapsulated: true,
    lifeSeconds: 28800,
    outbound: keys.initiatorToResponder,
    inbound: keys.responderToInitiator,
    ...overrides,
  };
}

/** The gateway's side of the same pair, from src/esp directly. */
const transform = { encryption: '3des-cbc', integrity: 'hmac-sha1-96' } as const;
const gatewayInbound = () => createInboundSa(createEspSa(transform, keys.initiatorToResponder), { lifetime: {}, now: NOW });
const gatewayOutbound = () => createOutboundSa(createEspSa(transform, keys.responderToInitiator), { lifetime: {}, now: NOW });
const inner = Buffer.from('45000054000000004001000000000000', 'hex');

describe('the client ESP SA pair', () => {
  it('seals inner packets under the gateway SPI, with sequence numbers from 1, that the gateway opens as IPv4', () => {
    let state = createEspTunnelState(pair(), NOW);
    let gateway = gatewayInbound();
    for (const expected of [1, 2]) {
      const step = sealInnerPacket(state, inner, NOW);
      state = step.state;
      if (step.outcome.kind !== 'sealed') throw new Error('refused');
      expect(step.outcome.packet.readUInt32BE(0)).toBe(0x5ec0de01);
      expect(step.outcome.sequenceNumber).toBe(expected);
      const opened = receiveEspPacket(gateway, step.outcome.packet, NOW);
      gateway = opened.state;
      expect(opened.outcome).toMatchObject({ kind: 'delivered', nextHeader: NextHeader.IPV4, packet: inner });
    }
    expect(state.outbound.counters).toMatchObject({ packets: 2, octets: 2 * inner.length });
  });

  it('opens what the gateway seals under our SPI, and drops a replay of it', () => {
    const sealed = sendEspPacket(gatewayOutbound(), inner, NextHeader.IPV4, NOW).outcome;
    if (sealed.kind !== 'sealed') throw new Error('refused');
    const first = openGatewayPacket(createEspTunnelState(pair(), NOW), sealed.packet, NOW);
    expect(first.outcome).toMatchObject({ kind: 'delivered', sequenceNumber: 1, packet: inner });
    const again = openGatewayPacket(first.state, sealed.packet, NOW);
    expect(again.outcome).toEqual({ kind: 'dropped', reason: 'replayed', sequenceNumber: 1 });
    expect(espTunnelDrops(again.state)).toMatchObject({ replayed: 1, 'unknown-spi': 0 });
  });

  it('takes a replay when anti-replay is off (the receiver may choose, RFC 4303 §3.4.3)', () => {
    const sealed = sendEspPacket(gatewayOutbound(), inner, NextHeader.IPV4, NOW).outcome;
    if (sealed.kind !== 'sealed') throw new Error('refused');
    const first = openGatewayPacket(createEspTunnelState(pair(), NOW, { antiReplay: false }), sealed.packet, NOW);
    expect(openGatewayPacket(first.state, sealed.packet, NOW).outcome.kind).toBe('delivered');
  });

  it('drops a packet under any other SPI before the crypto, counted apart from the SA drops', () => {
    // Our own outbound SPI looped back: a valid packet, just not for our inbound SA.
    const loopedBack = createOutboundSa(createEspSa(transform, keys.initiatorToResponder), { lifetime: {}, now: NOW });
    const sealed = sendEspPacket(loopedBack, inner, NextHeader.IPV4, NOW).outcome;
    if (sealed.kind !== 'sealed') throw new Error('refused');
    const step = openGatewayPacket(createEspTunnelState(pair(), NOW), sealed.packet, NOW);
    expect(step.outcome).toEqual({ kind: 'dropped', reason: 'unknown-spi', spi: '5ec0de01' });
    expect(espTunnelDrops(step.state)['unknown-spi']).toBe(1);
    expect(step.state.inbound.counters.packets).toBe(0);
  });

  it('counts a tampered packet as bad-icv and a stub as truncated', () => {
    const sealed = sendEspPacket(gatewayOutbound(), inner, NextHeader.IPV4, NOW).outcome;
    if (sealed.kind !== 'sealed') throw new Error('refused');
    const tampered = Buffer.from(sealed.packet);
    tampered[20] = tampered[20]! ^ 0x80;
    const bad = openGatewayPacket(createEspTunnelState(pair(), NOW), tampered, NOW);
    const stub = openGatewayPacket(bad.state, hex('c0ffee01'), NOW);
    expect(bad.outcome).toMatchObject({ kind: 'dropped', reason: 'bad-icv' });
    expect(stub.outcome).toMatchObject({ kind: 'dropped', reason: 'truncated' });
    expect(espTunnelDrops(stub.state)).toMatchObject({ 'bad-icv': 1, truncated: 1 });
  });

  it('refuses, before taking a sequence number, an inner packet outside the Quick Mode IDs', () => {
    const selectors = { local: { kind: 'ipv4-address', address: '10.1.1.110' }, remote: { kind: 'ipv4-subnet', address: '10.1.1.0', netmask: '255.255.255.0' } } as const;
    const state = createEspTunnelState(pair(), NOW, { selectors });
    const outside = buildIcmpEchoRequest({ source: '10.1.1.110', destination: '8.8.8.8', identifier: 1, sequenceNumber: 1, data: Buffer.alloc(0) });
    const refused = sealInnerPacket(state, outside, NOW);
    expect(refused.outcome).toEqual({ kind: 'refused', reason: 'outside-selectors' });
    expect(refused.state.outbound.lastSequenceNumber).toBe(0);
    const inside = buildIcmpEchoRequest({ source: '10.1.1.110', destination: '10.1.1.1', identifier: 1, sequenceNumber: 1, data: Buffer.alloc(0) });
    expect(sealInnerPacket(refused.state, inside, NOW).outcome).toMatchObject({ kind: 'sealed', sequenceNumber: 1 });
  });

  it('drops an authentic packet from outside IDcr, after the ICV and the window, as outside-selectors', () => {
    const selectors = { local: { kind: 'ipv4-address', address: '10.1.1.110' }, remote: { kind: 'ipv4-subnet', address: '10.1.1.0', netmask: '255.255.255.0' } } as const;
    const spoofed = buildIcmpEchoRequest({ source: '172.16.0.9', destination: '10.1.1.110', identifier: 1, sequenceNumber: 1, data: Buffer.alloc(0) });
    const sealed = sendEspPacket(gatewayOutbound(), spoofed, NextHeader.IPV4, NOW).outcome;
    if (sealed.kind !== 'sealed') throw new Error('refused');
    const step = openGatewayPacket(createEspTunnelState(pair(), NOW, { selectors }), sealed.packet, NOW);
    expect(step.outcome).toEqual({ kind: 'dropped', reason: 'outside-selectors', sequenceNumber: 1 });
    expect(espTunnelDrops(step.state)['outside-selectors']).toBe(1);
    // Without selectors (Quick Mode sent no IDs) the same packet is delivered.
    expect(openGatewayPacket(createEspTunnelState(pair(), NOW), sealed.packet, NOW).outcome.kind).toBe('delivered');
  });

  it('stops sending once the lifetime the gateway returned is over', () => {
    const state = createEspTunnelState(pair({ lifeSeconds: 60 }), NOW);
    expect(sealInnerPacket(state, inner, NOW + 59_000).outcome.kind).toBe('sealed');
    expect(sealInnerPacket(state, inner, NOW + 60_000).outcome).toEqual({ kind: 'refused', reason: 'sa-expired' });
  });

  it('counts the kilobyte lifetime in inner octets', () => {
    const { lifeSeconds: _unlimited, ...byVolume } = pair({ lifeKilobytes: 1 });
    let state = createEspTunnelState(byVolume, NOW);
    const big = Buffer.alloc(600);
    state = sealInnerPacket(state, big, NOW).state;
    state = sealInnerPacket(state, big, NOW).state;
    expect(sealInnerPacket(state, big, NOW).outcome).toEqual({ kind: 'refused', reason: 'sa-expired' });
  });
});
