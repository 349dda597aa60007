import { describe, expect, it } from 'vitest';
import { MalformedNattLog } from '../../src/router/malformed-natt-log.js';
import { classifyNattDatagram } from '../../src/ike/natt-framing.js';

const PEER = { address: '192.0.2.132', port: 4500 };

describe('the line for a short datagram on the NAT-T port', () => {
  it('names the size, the peer and the bytes (at most 7)', () => {
    const bytes = Buffer.from('01020304', 'hex');
    expect(classifyNattDatagram(bytes).kind).toBe('malformed');
    expect(new MalformedNattLog().lines(bytes, PEER, 0).map((line) => line.message)).toEqual([
      '[IPSEC] 4-byte datagram on the NAT-T port from 192.0.2.132:4500 dropped: not IKE, a keepalive or ESP (01020304)',
    ]);
  });

  it('1,000 of them from one peer within a window: 10 lines', () => {
    const log = new MalformedNattLog();
    let lines = 0;
    for (let n = 0; n < 1_000; n++) lines += log.lines(Buffer.of(n & 0xfe), PEER, n).length;
    expect(lines).toBe(10);
  });
});
