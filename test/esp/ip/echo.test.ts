import { describe, expect, it } from 'vitest';
import {
  IpProtocol,
  answerIcmpEcho,
  answerUdpEcho,
  buildIcmpEchoRequest,
  buildUdpPacket,
  decodeIcmpEcho,
  decodeIpv4Packet,
  decodeUdpDatagram,
  encodeIpv4Packet,
  internetChecksum,
} from '../../../src/esp/ip/index.js';

const CLIENT = '10.1.1.110';
const ROUTER_ADDRESSES = new Set(['10.1.1.1', '192.0.2.254']);
const data = Buffer.from(Array.from({ length: 56 }, (_, i) => i));
const ping = (destination = '10.1.1.1', fields: Partial<Parameters<typeof buildIcmpEchoRequest>[0]> = {}) =>
  buildIcmpEchoRequest({ source: CLIENT, destination, identifier: 0x6663, sequenceNumber: 7, data, ...fields });

function decodeReply(packet: Buffer) {
  const ip = decodeIpv4Packet(packet);
  if (!ip.ok) throw new Error(ip.problem);
  const icmp = decodeIcmpEcho(ip.packet.payload);
  if (!icmp.ok) throw new Error(icmp.problem);
  return { header: ip.packet.header, echo: icmp.echo };
}

describe('answerIcmpEcho: the router’s own addresses answer pings', () => {
  it('answers from the pinged address to the sender: echo reply, same identifier, sequence and data, valid checksums', () => {
    const answer = answerIcmpEcho(ping('10.1.1.1'), ROUTER_ADDRESSES);
    if (answer.kind !== 'reply') throw new Error(answer.why);
    const { header, echo } = decodeReply(answer.packet);
    expect(header).toMatchObject({ source: '10.1.1.1', destination: CLIENT, protocol: IpProtocol.ICMP, ttl: 255 });
    expect(echo).toEqual({ kind: 'reply', identifier: 0x6663, sequenceNumber: 7, data });
  });

  it('answers on any of the addresses, with the TTL and identification asked for, TOS copied', () => {
    const request = ping('192.0.2.254');
    request[1] = 0x10;
    request.writeUInt16BE(0, 10);
    request.writeUInt16BE(internetChecksum(request.subarray(0, 20)), 10);
    const answer = answerIcmpEcho(request, ROUTER_ADDRESSES, { ttl: 64, identification: 0x1234 });
    if (answer.kind !== 'reply') throw new Error(answer.why);
    expect(decodeReply(answer.packet).header).toMatchObject({ source: '192.0.2.254', ttl: 64, identification: 0x1234, tos: 0x10 });
  });

  it('leaves everything else to the caller, saying why', () => {
    expect(answerIcmpEcho(ping('10.1.1.2'), ROUTER_ADDRESSES)).toEqual({ kind: 'ignored', why: 'not-addressed-to-us' });
    expect(answerIcmpEcho(Buffer.from('not ip'), ROUTER_ADDRESSES)).toEqual({ kind: 'ignored', why: 'malformed-ip' });
    const udp = buildUdpPacket({ source: CLIENT, destination: '10.1.1.1', sourcePort: 1, destinationPort: 7, payload: data });
    expect(answerIcmpEcho(udp, ROUTER_ADDRESSES)).toEqual({ kind: 'ignored', why: 'not-echo-request' });
    const reply = answerIcmpEcho(ping('10.1.1.1'), ROUTER_ADDRESSES);
    if (reply.kind !== 'reply') throw new Error('no reply');
    expect(answerIcmpEcho(reply.packet, new Set([CLIENT]))).toEqual({ kind: 'ignored', why: 'not-echo-request' });
    const corrupt = ping('10.1.1.1');
    corrupt[40]! ^= 1;
    expect(answerIcmpEcho(corrupt, ROUTER_ADDRESSES)).toEqual({ kind: 'ignored', why: 'malformed-payload' });
  });

  it('ignores fragments: nothing here reassembles', () => {
    const fragment = encodeIpv4Packet({ source: CLIENT, destination: '10.1.1.1', protocol: IpProtocol.ICMP, payload: ping().subarray(20) });
    fragment.writeUInt16BE(0x2000, 6);
    fragment.writeUInt16BE(0, 10);
    fragment.writeUInt16BE(internetChecksum(fragment.subarray(0, 20)), 10);
    expect(answerIcmpEcho(fragment, ROUTER_ADDRESSES)).toEqual({ kind: 'ignored', why: 'fragment' });
  });
});

describe('answerUdpEcho: a LAN host’s echo port', () => {
  const HOST = new Set(['10.1.1.20']);
  const request = buildUdpPacket({ source: CLIENT, destination: '10.1.1.20', sourcePort: 40001, destinationPort: 7, payload: Buffer.from('hello office') });

  it('sends the payload back from the echo port to the sender’s port', () => {
    const answer = answerUdpEcho(request, HOST, 7);
    if (answer.kind !== 'reply') throw new Error(answer.why);
    const ip = decodeIpv4Packet(answer.packet);
    if (!ip.ok) throw new Error(ip.problem);
    expect(ip.packet.header).toMatchObject({ source: '10.1.1.20', destination: CLIENT, protocol: IpProtocol.UDP });
    expect(decodeUdpDatagram(ip.packet.payload, '10.1.1.20', CLIENT)).toEqual({
      ok: true,
      datagram: { sourcePort: 7, destinationPort: 40001, payload: Buffer.from('hello office') },
    });
  });

  it('ignores other ports, other hosts, ICMP and bad checksums', () => {
    expect(answerUdpEcho(request, HOST, 9)).toEqual({ kind: 'ignored', why: 'not-echo-request' });
    expect(answerUdpEcho(request, new Set(['10.1.1.21']), 7)).toEqual({ kind: 'ignored', why: 'not-addressed-to-us' });
    expect(answerUdpEcho(ping('10.1.1.20'), HOST, 7)).toEqual({ kind: 'ignored', why: 'not-echo-request' });
    const corrupt = Buffer.from(request);
    corrupt[corrupt.length - 1]! ^= 1;
    expect(answerUdpEcho(corrupt, HOST, 7)).toEqual({ kind: 'ignored', why: 'malformed-payload' });
  });
});
