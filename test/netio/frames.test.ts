import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameReader } from '../../src/netio/frames.js';

describe('raw ESP helper frames', () => {
  it('round-trip: address, length, packet, across any chunking', () => {
    const frames = [
      { address: '192.0.2.1', packet: Buffer.from('c0ffee0100000001aabb', 'hex') },
      { address: '10.1.1.110', packet: Buffer.alloc(1500, 7) },
      { address: '127.0.0.3', packet: Buffer.alloc(0) },
    ];
    const bytes = Buffer.concat(frames.map(encodeFrame));
    for (const chunkSize of [1, 5, 6, 7, 1000, bytes.length]) {
      const reader = new FrameReader();
      const read = [];
      for (let offset = 0; offset < bytes.length; offset += chunkSize) read.push(...reader.push(bytes.subarray(offset, offset + chunkSize)));
      expect(read).toEqual(frames);
    }
  });

  it('refuses what the helper cannot send', () => {
    expect(() => encodeFrame({ address: '2001:db8::1', packet: Buffer.alloc(1) })).toThrow(RangeError);
    expect(() => encodeFrame({ address: '10.0.0.256', packet: Buffer.alloc(1) })).toThrow(RangeError);
    expect(() => encodeFrame({ address: '10.0.0.1', packet: Buffer.alloc(70_000) })).toThrow(RangeError);
  });
});
