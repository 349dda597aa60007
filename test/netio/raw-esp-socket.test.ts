/**
 * The raw ESP helper on loopback: two sockets bound to 127.0.0.2 and 127.0.0.3 exchange ESP as
 * IP protocol 50. Needs root (CAP_NET_RAW) and the built helper; under CI both are there
 * (scripts/test.sh runs as root and builds it), so it is never skipped there.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openRawEspSocket, NETIO_HELPER } from '../../src/netio/raw-esp-socket.js';

const canRun = process.getuid?.() === 0 && existsSync(NETIO_HELPER);
const skip = !canRun && process.env.CI !== 'true';

describe.skipIf(skip)('raw ESP socket (root, built helper)', () => {
  it('carries packets both ways between two loopback addresses, each socket hearing only its own', async () => {
    const [a, b] = await Promise.all([openRawEspSocket('127.0.0.2'), openRawEspSocket('127.0.0.3')]);
    if (!a.ok || !b.ok) throw new Error(`${a.ok ? '' : a.reason} ${b.ok ? '' : b.reason}`);
    try {
      const heardByA: [string, string][] = [];
      const heardByB: [string, string][] = [];
      a.socket.onPacket((from, packet) => heardByA.push([from, packet.toString('hex')]));
      b.socket.onPacket((from, packet) => heardByB.push([from, packet.toString('hex')]));
      const packet = Buffer.from('c0ffee01000000010123456789abcdef', 'hex');
      expect(a.socket.send('127.0.0.3', packet)).toBe('sent');
      expect(b.socket.send('127.0.0.2', Buffer.concat([packet, packet]))).toBe('sent');
      const deadline = Date.now() + 3_000;
      while ((heardByA.length === 0 || heardByB.length === 0) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(heardByB).toEqual([['127.0.0.2', packet.toString('hex')]]);
      expect(heardByA).toEqual([['127.0.0.3', packet.toString('hex').repeat(2)]]);
    } finally {
      await Promise.all([a.socket.close(), b.socket.close()]);
    }
    expect(a.socket.send('127.0.0.3', Buffer.alloc(8))).toBe('socket-closed');
  });

  it('says why in one sentence when it cannot open', async () => {
    const missing = await openRawEspSocket('127.0.0.2', { helper: '/nonexistent/rtxlab-netio' });
    expect(missing).toEqual({ ok: false, reason: expect.stringMatching(/not built/) });
    const badAddress = await openRawEspSocket('not-an-address');
    expect(badAddress).toEqual({ ok: false, reason: expect.stringMatching(/not an IPv4 address/) });
  });
});
