/** Which side sent each datagram of a capture: by address, or on loopback by the endpoints each side used. */
import { describe, expect, it } from 'vitest';
import { captureSides } from '../../src/doctor/capture-sides.js';
import type { CapturedIke } from '../../src/doctor/pcap-file.js';

const datagram = (from: string, to: string): CapturedIke => {
  const [fromAddress, fromPort] = from.split(':');
  const [toAddress, toPort] = to.split(':');
  return { timeMs: 0, from: { address: fromAddress!, port: Number(fromPort) }, to: { address: toAddress!, port: Number(toPort) }, message: Buffer.alloc(0) };
};

const sidesOf = (datagrams: CapturedIke[]) => {
  const sides = captureSides(datagrams, datagrams[0]!);
  return datagrams.map((item) => sides.get(item));
};

describe('captureSides', () => {
  it('a real capture: by address, so a client that floats to 4500 for message 3 stays the client', () => {
    expect(sidesOf([datagram('192.0.2.132:500', '192.0.2.254:500'), datagram('192.0.2.254:500', '192.0.2.132:500'), datagram('192.0.2.132:4500', '192.0.2.254:4500'), datagram('192.0.2.254:4500', '192.0.2.132:4500')])).toEqual([
      'client',
      'gateway',
      'client',
      'gateway',
    ]);
  });

  it('loopback (one address): by the endpoints each side used; the side opening a new pair is the client (only the initiator floats)', () => {
    expect(
      sidesOf([
        datagram('127.0.0.1:40001', '127.0.0.1:50500'),
        datagram('127.0.0.1:50500', '127.0.0.1:40001'),
        datagram('127.0.0.1:40002', '127.0.0.1:54500'),
        datagram('127.0.0.1:54500', '127.0.0.1:40002'),
        datagram('127.0.0.1:40002', '127.0.0.1:54500'),
      ]),
    ).toEqual(['client', 'gateway', 'client', 'gateway', 'client']);
  });
});
