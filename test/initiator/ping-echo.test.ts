import { describe, expect, it } from 'vitest';
import { answerIcmpEcho, buildUdpPacket, decodeIcmpEcho, decodeIpv4Packet, IpProtocol } from '../../src/esp/ip/index.js';
import { buildPingRequest, formatPingReport, pingData, readEchoReply, summarizePing, type EchoResult } from '../../src/initiator/ping-echo.js';

const request = (sequence: number, dataBytes = 56) => buildPingRequest({ source: '10.1.1.110', destination: '10.1.1.1', identifier: 0x4242, sequence, dataBytes });
const answered = (packet: Buffer) => {
  const answer = answerIcmpEcho(packet, new Set(['10.1.1.1']), { ttl: 255 });
  if (answer.kind !== 'reply') throw new Error(answer.why);
  return answer.packet;
};
const NO_EXTRAS = { duplicates: 0, corrupted: 0, ignored: 0 };

describe('ping echo requests', () => {
  it('are ICMP echo requests from the inner address with the identifier, sequence and iputils-sized data', () => {
    const ip = decodeIpv4Packet(request(3));
    if (!ip.ok) throw new Error(ip.problem);
    expect(ip.packet.header).toMatchObject({ source: '10.1.1.110', destination: '10.1.1.1', protocol: IpProtocol.ICMP, totalLength: 84 });
    expect(decodeIcmpEcho(ip.packet.payload)).toEqual({ ok: true, echo: { kind: 'request', identifier: 0x4242, sequenceNumber: 3, data: pingData(3, 56) } });
  });

  it('carry data that differs from one sequence to the next', () => {
    expect(pingData(1, 8).equals(pingData(2, 8))).toBe(false);
    expect(pingData(1, 0)).toHaveLength(0);
  });
});

describe('readEchoReply', () => {
  it('reads the sequence, source, TTL and data of a reply to us', () => {
    expect(readEchoReply(answered(request(7)), 0x4242)).toEqual({ sequence: 7, from: '10.1.1.1', ttl: 255, data: pingData(7, 56) });
  });

  it('passes over requests, other identifiers, other protocols and garbage', () => {
    expect(readEchoReply(request(1), 0x4242)).toBeUndefined();
    expect(readEchoReply(answered(request(1)), 0x4243)).toBeUndefined();
    expect(readEchoReply(buildUdpPacket({ source: '10.1.1.1', destination: '10.1.1.110', sourcePort: 7, destinationPort: 7, payload: Buffer.alloc(8) }), 0x4242)).toBeUndefined();
    expect(readEchoReply(Buffer.from('450000'), 0x4242)).toBeUndefined();
  });
});

describe('summarizePing', () => {
  const results: EchoResult[] = [
    { sequence: 1, kind: 'reply', rttMs: 2, from: '10.1.1.1', ttl: 255, dataBytes: 56 },
    { sequence: 2, kind: 'timeout' },
    { sequence: 3, kind: 'reply', rttMs: 4, from: '10.1.1.1', ttl: 255, dataBytes: 56 },
    { sequence: 4, kind: 'not-sent', reason: 'sa-expired' },
  ];

  it('counts what was sent and answered, loss over what was sent, and the RTT spread', () => {
    expect(summarizePing('10.1.1.1', results, { duplicates: 1, corrupted: 0, ignored: 2 })).toEqual({
      destination: '10.1.1.1',
      transmitted: 3,
      received: 2,
      lossPercent: 33,
      rttMs: { min: 2, avg: 3, max: 4 },
      duplicates: 1,
      corrupted: 0,
      ignored: 2,
    });
  });

  it('has no RTT when nothing came back, and no loss when nothing left', () => {
    expect(summarizePing('10.1.1.1', [{ sequence: 1, kind: 'timeout' }], NO_EXTRAS)).toMatchObject({ lossPercent: 100, received: 0 });
    expect(summarizePing('10.1.1.1', [{ sequence: 1, kind: 'timeout' }], NO_EXTRAS).rttMs).toBeUndefined();
    expect(summarizePing('10.1.1.1', [{ sequence: 1, kind: 'not-sent', reason: 'channel-closed' }], NO_EXTRAS)).toMatchObject({ transmitted: 0, lossPercent: 0 });
  });

  it('prints like ping: a line per echo, then the statistics', () => {
    const lines = formatPingReport({ results, summary: summarizePing('10.1.1.1', results, NO_EXTRAS) });
    expect(lines).toEqual([
      '64 bytes from 10.1.1.1: icmp_seq=1 ttl=255 time=2.00 ms',
      'no answer to icmp_seq=2',
      '64 bytes from 10.1.1.1: icmp_seq=3 ttl=255 time=4.00 ms',
      'icmp_seq=4 not sent: sa-expired',
      '--- 10.1.1.1 ping through the tunnel ---',
      '3 packets transmitted, 2 received, 33% packet loss',
      'rtt min/avg/max = 2.00/3.00/4.00 ms',
    ]);
  });
});
