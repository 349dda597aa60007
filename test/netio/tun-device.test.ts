/**
 * A TUN device through the helper: a ping to an address routed into the device comes out of it
 * as an IP packet, and an echo reply written into it reaches ping. Runs in a network namespace
 * of its own (root), so the host's interfaces are never touched; under CI it is never skipped.
 */
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { answerIcmpEcho, decodeIpv4Packet } from '../../src/esp/ip/index.js';
import { NETIO_HELPER } from '../../src/netio/helper.js';
import { openTunDevice } from '../../src/netio/tun-device.js';

const execFileAsync = promisify(execFile);
const canRun = process.getuid?.() === 0 && existsSync(NETIO_HELPER);
const skip = !canRun && process.env.CI !== 'true';

describe.skipIf(skip)('TUN device (root, built helper)', () => {
  it('carries IP packets between the host stack and rtxlab both ways', async () => {
    const namespace = `rtxlab-${process.pid}-tun`;
    const run = (...argv: string[]) => spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8' });
    expect(run('ip', 'netns', 'add', namespace).status).toBe(0);
    try {
      // The helper is started inside the namespace (ip netns exec), so the device is created there.
      const device = await openTunDeviceIn(namespace, 'rtxlabtun0');
      try {
        expect(run('ip', '-n', namespace, 'address', 'add', '10.99.0.1/24', 'dev', 'rtxlabtun0').status).toBe(0);
        expect(run('ip', '-n', namespace, 'link', 'set', 'rtxlabtun0', 'up').status).toBe(0);
        const seen: string[] = [];
        device.onPacket((packet) => {
          const decoded = decodeIpv4Packet(packet);
          if (!decoded.ok) return;
          seen.push(`${decoded.packet.header.source}>${decoded.packet.header.destination}`);
          // Play the host 10.99.0.2 behind the device: answer its echo requests.
          const answer = answerIcmpEcho(packet, new Set(['10.99.0.2']));
          if (answer.kind === 'reply') device.write(answer.packet);
        });
        // Not spawnSync: the device's packets are answered on this event loop while ping runs.
        const ping = await execFileAsync('ip', ['netns', 'exec', namespace, 'ping', '-n', '-c', '2', '-W', '2', '10.99.0.2']).then(
          () => 0,
          (error: { code?: number; stdout?: string }) => `${error.code}: ${error.stdout}`,
        );
        expect(ping).toBe(0);
        expect(seen.filter((s) => s === '10.99.0.1>10.99.0.2').length).toBeGreaterThanOrEqual(2);
      } finally {
        await device.close();
      }
    } finally {
      run('ip', 'netns', 'delete', namespace);
    }
  }, 30_000);
});

/** openTunDevice with the helper run inside `namespace`. */
async function openTunDeviceIn(namespace: string, name: string) {
  const { writeFileSync, mkdtempSync, chmodSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const wrapper = join(mkdtempSync(join(tmpdir(), 'rtxlab-tun-')), 'netio-in-namespace');
  writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${namespace} ${NETIO_HELPER} "$@"\n`);
  chmodSync(wrapper, 0o755);
  const opened = await openTunDevice(name, { helper: wrapper });
  if (!opened.ok) throw new Error(opened.reason);
  return opened.device;
}
