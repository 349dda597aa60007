import { describe, expect, it } from 'vitest';
import { PeerCaptures } from '../../src/web/peer-capture.js';
import type { DatagramRecord } from '../../src/router/rtx-router-api.js';

const ROUTER = { address: '192.0.2.1', port: 500 };
const datagram = (direction: 'in' | 'out', peer: { address: string; port: number }, size: number): DatagramRecord => ({
  direction,
  time: 1_000,
  from: direction === 'in' ? peer : ROUTER,
  to: direction === 'in' ? ROUTER : peer,
  kind: 'ike',
  bytes: Buffer.alloc(size, 1),
});

const records = (file: Buffer): number[] => {
  const sizes: number[] = [];
  for (let at = 24; at < file.length; ) {
    const length = file.readUInt32LE(at + 8);
    sizes.push(length);
    at += 16 + length;
  }
  return sizes;
};

describe('a ladder\'s packets as pcap', () => {
  it('holds the datagrams both ways of the ladder\'s endpoints only, as raw IPv4/UDP records', () => {
    const captures = new PeerCaptures();
    const client = { address: '198.51.100.7', port: 500 };
    const other = { address: '198.51.100.7', port: 501 };
    captures.record(datagram('in', client, 100));
    captures.record(datagram('in', other, 50));
    captures.record(datagram('out', client, 200));
    const { file, datagrams } = captures.pcap(new Set(['198.51.100.7:500']));
    expect(datagrams).toBe(2);
    expect(file.readUInt32LE(0)).toBe(0xa1b2c3d4);
    expect(records(file)).toEqual([20 + 8 + 100, 20 + 8 + 200]);
  });

  it('keeps only the newest datagrams', () => {
    const captures = new PeerCaptures(2);
    const client = { address: '198.51.100.7', port: 500 };
    for (const size of [10, 20, 30]) captures.record(datagram('in', client, size));
    expect(records(captures.pcap(new Set(['198.51.100.7:500'])).file)).toEqual([48, 58]);
  });
});
