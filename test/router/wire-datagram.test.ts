// The records `--pcap` writes hold each datagram as it was on the wire, although the transport
// hands IKE over without its NAT-T framing: checked on every datagram of a real exchange.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyNattDatagram } from '../../src/router/natt-framing.js';
import type { InboundPacket } from '../../src/router/udp-transport.js';
import { inboundDatagramRecord, outboundEspRecord, outboundIkeRecord } from '../../src/router/wire-datagram.js';
import { capturesDir } from '../support/paths.js';
import { readUdpCapture } from '../support/pcap.js';

const from = { address: '192.0.2.132', port: 4500 };
const local = { address: '192.0.2.254', port: 4500 };

/** What UdpTransport.listen makes of a datagram (the same framing rules). */
function asTransportDelivers(bytes: Buffer, natTraversal: boolean): InboundPacket {
  if (!natTraversal) return { kind: 'ike', datagram: { bytes, from, local, natTraversal } };
  const framed = classifyNattDatagram(bytes);
  switch (framed.kind) {
    case 'ike':
      return { kind: 'ike', datagram: { bytes: framed.bytes, from, local, natTraversal } };
    case 'keepalive':
      return { kind: 'natt-keepalive', from, local };
    case 'esp':
    case 'malformed':
      return { kind: framed.kind === 'esp' ? 'esp' : 'natt-malformed', bytes: framed.bytes, from, local };
  }
}

describe('inboundDatagramRecord', () => {
  it('gives back the on-wire bytes of every datagram of a real exchange (500, 4500 IKE, ESP in UDP)', () => {
    const captured = readUdpCapture(join(capturesDir, 'strongswan-push', 'capture.pcap'));
    for (const datagram of captured) {
      const record = inboundDatagramRecord(asTransportDelivers(datagram.udpPayload, datagram.dstPort === 4500), 7);
      expect(record.bytes).toEqual(datagram.udpPayload);
      expect(record.kind).toBe(datagram.content.kind);
    }
  });

  it('a keepalive is the one 0xFF byte; a malformed datagram is kept as it came; the local end is `to`', () => {
    expect(inboundDatagramRecord(asTransportDelivers(Buffer.from([0xff]), true), 7)).toEqual({ direction: 'in', time: 7, from, to: local, kind: 'natt-keepalive', bytes: Buffer.from([0xff]) });
    expect(inboundDatagramRecord(asTransportDelivers(Buffer.from([1, 2, 3]), true), 7)).toMatchObject({ kind: 'natt-malformed', bytes: Buffer.from([1, 2, 3]) });
  });
});

describe('outbound records', () => {
  it('IKE on the NAT-T port goes behind the non-ESP marker; on 500 as it is', () => {
    const message = Buffer.from('0123456789abcdef', 'hex');
    expect(outboundIkeRecord(message, local, from, true, 9).bytes).toEqual(Buffer.concat([Buffer.alloc(4), message]));
    expect(outboundIkeRecord(message, local, from, false, 9)).toEqual({ direction: 'out', time: 9, from: local, to: from, kind: 'ike', bytes: message });
  });

  it('ESP goes as it is', () => {
    const esp = Buffer.from('d5866ebf00000001', 'hex');
    expect(outboundEspRecord(esp, local, from, 9)).toEqual({ direction: 'out', time: 9, from: local, to: from, kind: 'esp', bytes: esp });
  });
});
