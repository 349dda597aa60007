import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeUdpDatagram, encodeUdpDatagram } from '../../../src/esp/ip/index.js';

const SOURCE = '10.1.1.110';
const DESTINATION = '10.1.1.20';

/** The RFC 768 checksum written out longhand: pseudo-header, header with a zero checksum, data. */
function longhandChecksum(source: string, destination: string, sourcePort: number, destinationPort: number, payload: Buffer): number {
  const words: number[] = [];
  const push16 = (value: number) => words.push(value & 0xffff);
  for (const address of [source, destination]) {
    const [a, b, c, d] = address.split('.').map(Number) as [number, number, number, number];
    push16((a << 8) | b);
    push16((c << 8) | d);
  }
  const length = 8 + payload.length;
  push16(17);
  push16(length);
  push16(sourcePort);
  push16(destinationPort);
  push16(length);
  for (let i = 0; i < payload.length; i += 2) push16((payload[i]! << 8) | (payload[i + 1] ?? 0));
  let sum = words.reduce((a, b) => a + b, 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  const checksum = ~sum & 0xffff;
  return checksum === 0 ? 0xffff : checksum;
}

describe('UDP', () => {
  it('writes ports, length and the pseudo-header checksum', () => {
    const payload = Buffer.from('echo me, odd length');
    const bytes = encodeUdpDatagram({ sourcePort: 40000, destinationPort: 7, payload }, SOURCE, DESTINATION);
    expect(bytes.readUInt16BE(0)).toBe(40000);
    expect(bytes.readUInt16BE(2)).toBe(7);
    expect(bytes.readUInt16BE(4)).toBe(8 + payload.length);
    expect(bytes.readUInt16BE(6)).toBe(longhandChecksum(SOURCE, DESTINATION, 40000, 7, payload));
    expect(bytes.subarray(8)).toEqual(payload);
  });

  it('sends a computed checksum of 0 as ffff (RFC 768), and accepts it', () => {
    // Search a two-byte payload whose checksum comes out as 0.
    const payload = Buffer.alloc(2);
    for (let value = 0; value <= 0xffff; value++) {
      payload.writeUInt16BE(value);
      if (longhandChecksum(SOURCE, DESTINATION, 1, 2, payload) === 0xffff) break;
    }
    const bytes = encodeUdpDatagram({ sourcePort: 1, destinationPort: 2, payload }, SOURCE, DESTINATION);
    expect(bytes.readUInt16BE(6)).toBe(0xffff);
    expect(decodeUdpDatagram(bytes, SOURCE, DESTINATION).ok).toBe(true);
  });

  it('decodes what it encodes, and trims bytes beyond the UDP length', () => {
    const bytes = encodeUdpDatagram({ sourcePort: 5, destinationPort: 6, payload: Buffer.from('hi') }, SOURCE, DESTINATION);
    expect(decodeUdpDatagram(Buffer.concat([bytes, Buffer.alloc(3)]), SOURCE, DESTINATION)).toEqual({
      ok: true,
      datagram: { sourcePort: 5, destinationPort: 6, payload: Buffer.from('hi') },
    });
  });

  it('takes a zero checksum as "none computed", and refuses a wrong one, a wrong address pair included', () => {
    const bytes = encodeUdpDatagram({ sourcePort: 5, destinationPort: 6, payload: Buffer.from('data') }, SOURCE, DESTINATION);
    expect(decodeUdpDatagram(bytes, SOURCE, '10.1.1.21')).toEqual({ ok: false, problem: 'bad-checksum' });
    const unchecked = Buffer.from(bytes);
    unchecked.writeUInt16BE(0, 6);
    expect(decodeUdpDatagram(unchecked, SOURCE, '10.1.1.21').ok).toBe(true);
  });

  it('refuses a short header and a length field that does not fit', () => {
    expect(decodeUdpDatagram(Buffer.alloc(7), SOURCE, DESTINATION)).toEqual({ ok: false, problem: 'truncated' });
    const bytes = encodeUdpDatagram({ sourcePort: 5, destinationPort: 6, payload: Buffer.from('data') }, SOURCE, DESTINATION);
    expect(decodeUdpDatagram(bytes.subarray(0, 10), SOURCE, DESTINATION)).toEqual({ ok: false, problem: 'bad-length' });
    const tooShort = Buffer.from(bytes);
    tooShort.writeUInt16BE(7, 4);
    expect(decodeUdpDatagram(tooShort, SOURCE, DESTINATION)).toEqual({ ok: false, problem: 'bad-length' });
  });

  it('property: random datagrams round-trip and random bytes never throw', () => {
    fc.assert(
      fc.property(fc.nat(0xffff), fc.nat(0xffff), fc.uint8Array({ maxLength: 300 }), (sourcePort, destinationPort, payload) => {
        const datagram = { sourcePort, destinationPort, payload: Buffer.from(payload) };
        expect(decodeUdpDatagram(encodeUdpDatagram(datagram, SOURCE, DESTINATION), SOURCE, DESTINATION)).toEqual({ ok: true, datagram });
      }),
    );
    fc.assert(fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => typeof decodeUdpDatagram(Buffer.from(bytes), SOURCE, DESTINATION).ok === 'boolean'));
  });
});
