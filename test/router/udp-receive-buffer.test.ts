/**
 * rtxlab option `udpReceiveBufferBytes` (`--udp-receive-buffer`, not RTX behaviour): a burst of
 * datagrams that arrives while the router is busy waits in its socket instead of being dropped.
 * The burst is sent by another process while this one (the router's) is blocked in spawnSync, so
 * every datagram has to wait in the kernel; 127.0.0.1 only.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_TEXT, startRtxRouter, type RtxRouter } from '../../src/index.js';

const BURST = 2_000;
/** 4 MB, or less where the kernel allows less (it caps SO_RCVBUF at rmem_max). */
const ASKED = Math.min(4 * 1024 * 1024, Number(readFileSync('/proc/sys/net/core/rmem_max', 'utf8').trim()));

const routers: RtxRouter[] = [];
afterEach(async () => {
  for (const router of routers.splice(0)) await router.stop();
});

async function started(options: { udpReceiveBufferBytes?: number } = {}): Promise<RtxRouter> {
  const router = await startRtxRouter({ config: { text: DEFAULT_CONFIG_TEXT.replace('syslog debug on', 'syslog debug off') }, ikePort: 0, nattPort: 0, ...options });
  routers.push(router);
  return router;
}

/** BURST ISAKMP headers with an unknown responder cookie (each read and dropped), sent by a child process while this one waits. */
function sendBurstWhileBlocked(port: number): void {
  const script = `
    const socket = require('node:dgram').createSocket('udp4');
    const header = Buffer.alloc(28);
    header.writeUInt32BE(1, 0); header.writeUInt32BE(1, 8); header[17] = 0x10; header[18] = 4; header.writeUInt32BE(28, 24);
    let sent = 0;
    const next = () => { if (sent++ === ${BURST}) return socket.close(); socket.send(header, ${port}, '127.0.0.1', next); };
    next();`;
  const child = spawnSync(process.execPath, ['-e', script], { timeout: 30_000 });
  if (child.status !== 0) throw new Error(`burst sender failed: ${child.stderr.toString()}`);
}

async function receivedWhenSettled(router: RtxRouter): Promise<number> {
  let last = -1;
  for (let round = 0; round < 50 && router.counters().ikeReceived !== last; round++) {
    last = router.counters().ikeReceived;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return router.counters().ikeReceived;
}

describe('the UDP receive buffer option', () => {
  it(`with it, a burst of ${BURST} datagrams sent while the router is busy is read in full; with the kernel's default, not all of it`, async () => {
    const roomy = await started({ udpReceiveBufferBytes: ASKED });
    // Linux reports twice what was set (its bookkeeping included).
    expect(roomy.udpReceiveBufferBytes()).toBeGreaterThanOrEqual(ASKED);
    sendBurstWhileBlocked(roomy.listening!.ike.port);
    expect(await receivedWhenSettled(roomy)).toBe(BURST);

    const plain = await started();
    expect(plain.udpReceiveBufferBytes()).toBeLessThan(ASKED);
    sendBurstWhileBlocked(plain.listening!.ike.port);
    expect(await receivedWhenSettled(plain)).toBeLessThan(BURST);
  }, 60_000);
});
