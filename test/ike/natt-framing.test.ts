import { describe, expect, it } from 'vitest';
import { classifyNattDatagram, frameIkeForNatt } from '../../src/ike/natt-framing.js';

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');

describe('RFC 3948 framing on the NAT-T port', () => {
  it('a datagram behind the 4-byte zero non-ESP marker is IKE, handed on without the marker', () => {
    const ike = hex('3f4efdfbaf6a702d 0000000000000000 01100400 00000000 0000001c');
    const framed = classifyNattDatagram(Buffer.concat([Buffer.alloc(4), ike]));
    expect(framed.kind).toBe('ike');
    expect(framed.kind === 'ike' && framed.bytes.equals(ike)).toBe(true);
  });

  it('a single 0xFF byte is a NAT keepalive', () => {
    expect(classifyNattDatagram(hex('ff'))).toEqual({ kind: 'keepalive' });
  });

  it('anything else with room for an SPI and a sequence number is ESP, kept whole', () => {
    const esp = hex('d5866ebf 00000001 0102030405060708');
    const framed = classifyNattDatagram(esp);
    expect(framed.kind).toBe('esp');
    expect(framed.kind === 'esp' && framed.bytes.equals(esp)).toBe(true);
  });

  it('short datagrams that are neither are malformed', () => {
    for (const runt of ['', '00', 'fe', 'ffff', '000000', 'd5866ebf00']) {
      expect(classifyNattDatagram(hex(runt)).kind, runt).toBe('malformed');
    }
  });

  it('adds the marker in front of an IKE message for sending', () => {
    expect(frameIkeForNatt(hex('0102')).toString('hex')).toBe('000000000102');
  });
});
