import { spawnSync } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildSync } from 'esbuild';
import { afterEach, describe, expect, it } from 'vitest';
import { RouterStartError } from '../../src/router/start-errors.js';
import { UdpTransport, type InboundPacket } from '../../src/router/udp-transport.js';
import { repoRoot } from '../support/paths.js';
import { eventually, UdpPeer } from './support/udp-peer.js';

const ikeMessage = Buffer.from('3f4efdfbaf6a702d00000000000000000110040000000000000000', 'hex');

const opened: { close(): Promise<void> }[] = [];
const cleanups: (() => void)[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((item) => item.close()));
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function openTransport() {
  const packets: InboundPacket[] = [];
  const transport = await UdpTransport.open({ bind: '127.0.0.1', ikePort: 0, nattPort: 0 }, { packet: (p) => packets.push(p), socketError: () => {} });
  opened.push(transport);
  const peer = await UdpPeer.open();
  opened.push(peer);
  return { transport, packets, peer };
}

async function occupy(port = 0): Promise<Socket> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, '127.0.0.1', () => resolve());
  });
  opened.push({ close: () => new Promise<void>((resolve) => socket.close(() => resolve())) });
  return socket;
}

/** A port that was free a moment ago. */
async function freePort(): Promise<number> {
  const peer = await UdpPeer.open();
  const { port } = peer;
  await peer.close();
  return port;
}

describe('UdpTransport', () => {
  it('listens on two ephemeral ports when asked for port 0, and tells which', async () => {
    const { transport } = await openTransport();
    expect(transport.ike.address).toBe('127.0.0.1');
    expect(transport.natt.address).toBe('127.0.0.1');
    expect(transport.ike.port).toBeGreaterThan(0);
    expect(transport.natt.port).toBeGreaterThan(0);
    expect(transport.natt.port).not.toBe(transport.ike.port);
  });

  it('hands datagrams from the IKE port on verbatim, with both endpoints', async () => {
    const { transport, packets, peer } = await openTransport();
    await peer.send(ikeMessage, transport.ike.port);
    await eventually(() => packets.length === 1);
    expect(packets[0]).toEqual({
      kind: 'ike',
      datagram: { bytes: ikeMessage, from: { address: '127.0.0.1', port: peer.port }, local: transport.ike, natTraversal: false },
    });
  });

  it('strips the non-ESP marker from IKE on the NAT-T port', async () => {
    const { transport, packets, peer } = await openTransport();
    await peer.send(Buffer.concat([Buffer.alloc(4), ikeMessage]), transport.natt.port);
    await eventually(() => packets.length === 1);
    expect(packets[0]).toEqual({
      kind: 'ike',
      datagram: { bytes: ikeMessage, from: { address: '127.0.0.1', port: peer.port }, local: transport.natt, natTraversal: true },
    });
  });

  it('sorts NAT keepalives, ESP and runts on the NAT-T port apart from IKE', async () => {
    const { transport, packets, peer } = await openTransport();
    const esp = Buffer.from('d5866ebf000000010102030405060708', 'hex');
    await peer.send(Buffer.from([0xff]), transport.natt.port);
    await peer.send(esp, transport.natt.port);
    await peer.send(Buffer.from([0x00, 0x01]), transport.natt.port);
    await eventually(() => packets.length === 3);
    expect(packets.map((p) => p.kind)).toEqual(['natt-keepalive', 'esp', 'natt-malformed']);
    expect(packets[1]?.kind === 'esp' && packets[1].bytes.equals(esp)).toBe(true);
  });

  it('sends IKE from the IKE port as is, and from the NAT-T port behind the marker', async () => {
    const { transport, peer } = await openTransport();
    const to = { address: '127.0.0.1', port: peer.port };
    await transport.send(ikeMessage, to, false);
    const plain = await peer.receive();
    expect(plain.bytes).toEqual(ikeMessage);
    expect(plain.from.port).toBe(transport.ike.port);
    await transport.send(ikeMessage, to, true);
    const framed = await peer.receive();
    expect(framed.bytes).toEqual(Buffer.concat([Buffer.alloc(4), ikeMessage]));
    expect(framed.from.port).toBe(transport.natt.port);
  });

  it('rejects, rather than throws, a send after close', async () => {
    const { transport, peer } = await openTransport();
    await transport.close();
    await expect(transport.send(ikeMessage, { address: '127.0.0.1', port: peer.port }, false)).rejects.toThrow();
  });

  it('says the IKE port is in use, and which option moves it', async () => {
    const busy = await occupy();
    const port = busy.address().port;
    const failure = UdpTransport.open({ bind: '127.0.0.1', ikePort: port, nattPort: 0 }, { packet: () => {}, socketError: () => {} });
    await expect(failure).rejects.toBeInstanceOf(RouterStartError);
    await expect(failure).rejects.toMatchObject({ code: 'EADDRINUSE', message: expect.stringContaining(`UDP 127.0.0.1:${port} (IKE)`) });
    await expect(failure).rejects.toThrow(/--ike-port/);
  });

  it('when the NAT-T port is in use, fails and releases the IKE port it had bound', async () => {
    const busy = await occupy();
    const ikePort = await freePort();
    const failure = UdpTransport.open({ bind: '127.0.0.1', ikePort, nattPort: busy.address().port }, { packet: () => {}, socketError: () => {} });
    await expect(failure).rejects.toThrow(/\(NAT-T\).*--natt-port/);
    await occupy(ikePort); // would fail with EADDRINUSE had the IKE socket been left open
  });

  it('says when the address is not one of this host', async () => {
    // 192.0.2.0/24 is TEST-NET-1: never assigned to a host, so bind fails without any traffic.
    const failure = UdpTransport.open({ bind: '192.0.2.77', ikePort: 0, nattPort: 0 }, { packet: () => {}, socketError: () => {} });
    await expect(failure).rejects.toMatchObject({ code: 'EADDRNOTAVAIL', message: expect.stringContaining('192.0.2.77 is not an address of this host') });
  });

  it('refuses a --bind that is not an IP address before touching the network', async () => {
    const failure = UdpTransport.open({ bind: 'localhost', ikePort: 0, nattPort: 0 }, { packet: () => {}, socketError: () => {} });
    await expect(failure).rejects.toThrow(/--bind needs an IPv4 or IPv6 address/);
  });

  // Port 500 needs privileges only for an unprivileged user: run the bind as `nobody` in a child.
  // The child must not need the checkout, which `nobody` may not be allowed to read (a clone
  // under /root or in a `mktemp -d` folder): the transport is bundled into one plain JS file in
  // a world-readable temporary directory, and the child runs it from there with plain node.
  const canDropPrivileges = process.getuid?.() === 0;
  it.runIf(canDropPrivileges)('explains a permission failure on port 500 to an unprivileged user', () => {
    const childDirectory = mkdtempSync(join(tmpdir(), 'rtxlab-unprivileged-'));
    cleanups.push(() => rmSync(childDirectory, { recursive: true, force: true }));
    chmodSync(childDirectory, 0o755);
    const bundle = join(childDirectory, 'udp-transport.mjs');
    buildSync({ entryPoints: [join(repoRoot, 'src/router/udp-transport.ts')], bundle: true, platform: 'node', format: 'esm', outfile: bundle, logLevel: 'silent' });
    chmodSync(bundle, 0o644);
    const script = `
      const { UdpTransport } = await import(${JSON.stringify(pathToFileURL(bundle).href)});
      try {
        const t = await UdpTransport.open({ bind: '127.0.0.1', ikePort: 500, nattPort: 0 }, { packet() {}, socketError() {} });
        await t.close();
        console.log('bound');
      } catch (error) {
        console.log(JSON.stringify({ code: error.code, message: error.message }));
      }`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: childDirectory,
      uid: 65534,
      gid: 65534,
      encoding: 'utf8',
      timeout: 15_000,
      env: { ...process.env, HOME: childDirectory },
    });
    expect(child.stderr).toBe('');
    const result = JSON.parse(child.stdout) as { code: string; message: string };
    expect(result.code).toBe('EACCES');
    expect(result.message).toContain('UDP 127.0.0.1:500 (IKE): permission denied');
    expect(result.message).toContain('--ike-port 1500');
  });
});
