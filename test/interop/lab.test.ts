import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  Lab,
  type Charon,
  PacketCapture,
  assertLabPrerequisites,
  cleanupStaleLabs,
  decoderComplaints,
  interopSkipReason,
  readFields,
  startStrongSwanClient,
  startStrongSwanResponder,
  startVpnc,
  withLab,
} from './lab/index.js';
import {
  RTX_FIRST_POOL_ADDRESS,
  RTX_LAN_ADDRESS,
  RTX_LAN_NETWORK,
  rtxStrongSwanClient,
  rtxStrongSwanResponder,
  rtxVpnc,
} from './peers/rtx-shaped.js';

// Under CI=true this is always undefined: missing peers must fail the run, not skip it.
const skipReason = interopSkipReason();
const suiteName = `interop lab with real peers${skipReason === undefined ? '' : ` [SKIPPED: ${skipReason}]`}`;

// RFC 2408 3.1 exchange types, and 6 (Transaction) of draft-dukes-ike-mode-cfg.
const ISAKMP_EXCHANGE = { aggressive: '4', transaction: '6', quickMode: '32' } as const;

/** Starts the RTX-shaped responder and the strongSwan client (keys logged) and brings the tunnel up. */
async function establishRtxTunnel(lab: Lab): Promise<{ client: Charon; responder: Charon }> {
  const responder = await startStrongSwanResponder(lab.router, lab.path('responder'), rtxStrongSwanResponder());
  const client = await startStrongSwanClient(lab.client, lab.path('client'), rtxStrongSwanClient(), { logKeys: true });
  const initiated = await client.initiate('rtx', { timeoutMs: 15_000 });
  expect(initiated.exitCode, initiated.stdout + initiated.stderr).toBe(0);
  return { client, responder };
}

/** pcap header (24) + record header (16) + Ethernet (14) + IPv4 (20) + UDP (8), then ISAKMP header (28) + generic payload header length at +2. */
function corruptFirstIsakmpPayloadLength(pcap: Buffer): Buffer {
  const copy = Buffer.from(pcap);
  copy.writeUInt16BE(0xffff, 24 + 16 + 14 + 20 + 8 + 28 + 2);
  return copy;
}

function labNamespaces(): string[] {
  return existsSync('/run/netns') ? readdirSync('/run/netns') : [];
}

describe.skipIf(skipReason !== undefined)(suiteName, () => {
  // Per test, not beforeAll: a failing beforeAll leaves its tests counted as skipped, and under
  // CI a missing peer must show up as failed tests.
  beforeEach(() => assertLabPrerequisites());

  describe('namespaces', () => {
    it('puts a router and two clients on one segment where each can ping the others, and removes them all at dispose', async () => {
      const lab = await Lab.create({ clients: 2 });
      const names = lab.namespaces.map((node) => node.name);
      try {
        expect(names.every((name) => name.startsWith(`rtxlab-${process.pid}-`))).toBe(true);
        expect(labNamespaces()).toEqual(expect.arrayContaining(names));
        expect(await lab.router.ipv4Addresses('br0')).toEqual([{ device: 'br0', address: '192.0.2.254', prefixLength: 24 }]);
        expect((await lab.clients[1]!.ipv4Addresses('eth0')).map((entry) => entry.address)).toEqual(['192.0.2.133']);
        expect(await lab.client.ping(lab.router.address)).toBe(true);
        expect(await lab.router.ping(lab.clients[1]!.address)).toBe(true);
        expect(await lab.clients[1]!.ping(lab.client.address)).toBe(true);
        // Nothing outside the segment is reachable: the namespaces have no default route.
        expect(await lab.client.ping('198.51.100.1', { waitSeconds: 1 })).toBe(false);
      } finally {
        await lab.dispose();
      }
      expect(labNamespaces().filter((name) => names.includes(name))).toEqual([]);
      expect(existsSync(lab.workDir)).toBe(false);
    });

    it('lets a node:dgram socket bound to the router address on UDP 500 (as the emulator binds) answer a client', async () => {
      await withLab({}, async (lab) => {
        const echo = 'const s = require("dgram").createSocket("udp4"); s.on("message", (m, r) => s.send(m, r.port, r.address)); s.bind(500, process.argv[1]);';
        lab.router.spawn([process.execPath, '-e', echo, lab.router.address]);
        expect(await lab.router.waitForUdpListener(500, 5_000)).toBe('192.0.2.254:500');
        const ask = 'const s = require("dgram").createSocket("udp4"); s.on("message", (m) => { console.log(String(m)); process.exit(0); }); s.send("hello 500", 500, process.argv[1]); setTimeout(() => process.exit(1), 3000);';
        const answer = await lab.client.run([process.execPath, '-e', ask, lab.router.address], { timeoutMs: 5_000 });
        expect(answer.stdout.trim()).toBe('hello 500');
      });
    });

    it('stops the daemons a test left running when the lab is disposed', async () => {
      const lab = await Lab.create();
      const sleeper = lab.client.spawn(['sleep', '60']);
      await lab.dispose();
      expect(sleeper.isRunning()).toBe(false);
    });

    it('gives a daemon started with privateRun its own /run', async () => {
      await withLab({}, async (lab) => {
        const daemon = lab.client.spawn(['sh', '-c', 'touch /run/rtxlab-private-probe && ls /run && sleep 30'], { privateRun: true });
        await daemon.waitForOutput(/rtxlab-private-probe/, 5_000);
        expect(daemon.output().trim().split('\n')).toEqual(['rtxlab-private-probe']);
        expect(existsSync('/run/rtxlab-private-probe')).toBe(false);
      });
    });

    it('removes namespaces whose creating process is gone, and leaves those of live processes', async () => {
      const deadPid = spawnSync('true').pid!;
      const stale = `rtxlab-${deadPid}-1-rtr`;
      const live = `rtxlab-${process.pid}-9999-rtr`;
      spawnSync('ip', ['netns', 'add', stale]);
      spawnSync('ip', ['netns', 'add', live]);
      try {
        const removed = await cleanupStaleLabs();
        expect(removed).toContain(stale);
        expect(removed).not.toContain(live);
        expect(labNamespaces()).not.toContain(stale);
        expect(labNamespaces()).toContain(live);
      } finally {
        spawnSync('ip', ['netns', 'del', stale]);
        spawnSync('ip', ['netns', 'del', live]);
      }
    });
  });

  describe('strongSwan client against the RTX-shaped strongSwan responder', () => {
    it('completes Aggressive Mode, XAUTH, the mode-cfg push and Quick Mode, gets 10.1.1.110 and carries ESP', async () => {
      await withLab({ routerInsideAddresses: [`${RTX_LAN_ADDRESS}/32`] }, async (lab) => {
        const { client } = await establishRtxTunnel(lab);

        expect(await client.virtualIps()).toEqual([RTX_FIRST_POOL_ADDRESS]);
        const [ikeSa, ...others] = await client.listSas();
        expect(others).toEqual([]);
        expect(ikeSa).toMatchObject({ state: 'ESTABLISHED', version: 1, localId: 'myid', localVips: [RTX_FIRST_POOL_ADDRESS], encryption: '3DES_CBC', dhGroup: 'MODP_1024' });
        expect(ikeSa!.childSas).toHaveLength(1);
        expect(ikeSa!.childSas[0]).toMatchObject({ state: 'INSTALLED', mode: 'TUNNEL', encap: true, remoteTs: [RTX_LAN_NETWORK] });

        const log = client.log();
        expect(log).toMatch(/XAuth authentication of 'user1' \(myself\) successful/);
        expect(log).toMatch(/parsed TRANSACTION request \d+ \[ HASH CPS\(ADDR\) \]/);
        expect(log).toMatch(/generating TRANSACTION response \d+ \[ HASH CPA\(ADDR\) \]/);

        // ESP through kernel-libipsec's TUN device, UDP-encapsulated on 4500, to the router's LAN address.
        expect(await lab.client.ping(RTX_LAN_ADDRESS, { count: 2 })).toBe(true);
        expect((await client.listSas())[0]!.childSas[0]!.packetsOut).toBe(2);
      });
    }, 30_000);

    it('captures the exchange so that tshark decrypts every IKE and ESP packet with the keys from charon\'s log and finds nothing malformed', async () => {
      await withLab({ routerInsideAddresses: [`${RTX_LAN_ADDRESS}/32`] }, async (lab) => {
        const capture = await PacketCapture.start(lab.client, { iface: lab.client.iface, file: lab.path('client.pcap') });
        const { client } = await establishRtxTunnel(lab);
        expect(await lab.client.ping(RTX_LAN_ADDRESS, { count: 2 })).toBe(true);
        const pcap = await capture.stop();
        const decryption = { ikev1: [await client.ikev1DecryptionKey()], esp: client.espSaKeys() };
        expect(decryption.esp).toHaveLength(2);

        const rows = await readFields(pcap, ['isakmp.exchangetype', 'isakmp.cfg.type', 'icmp.type', 'esp.icv_good'], { decryption });
        const exchanges = rows.flatMap((row) => row['isakmp.exchangetype']!);
        expect(exchanges).toEqual([
          ...Array(3).fill(ISAKMP_EXCHANGE.aggressive),
          ...Array(6).fill(ISAKMP_EXCHANGE.transaction),
          ...Array(3).fill(ISAKMP_EXCHANGE.quickMode),
        ]);
        // Decrypted: XAUTH REQUEST/REPLY, XAUTH status SET/ACK, mode-cfg address SET/ACK (push).
        expect(rows.flatMap((row) => row['isakmp.cfg.type']!)).toEqual(['1', '2', '3', '4', '3', '4']);
        // Decrypted ESP: two echo requests and two replies, each with a good ICV.
        const esp = rows.filter((row) => row['esp.icv_good']!.length > 0);
        expect(esp.map((row) => row['icmp.type']![0])).toEqual(['8', '0', '8', '0']);
        expect(esp.every((row) => row['esp.icv_good']![0] === '1')).toBe(true);

        expect(await decoderComplaints(pcap)).toEqual([]);
        expect(await decoderComplaints(pcap, decryption)).toEqual([]);

        // The check can fail: a wrong ESP integrity key and a corrupted ISAKMP payload length are reported.
        const wrongKeys = { ...decryption, esp: decryption.esp.map((sa) => ({ ...sa, authenticationKey: '00'.repeat(20) })) };
        expect((await decoderComplaints(pcap, wrongKeys)).map((item) => item.group)).toEqual(['checksum', 'checksum', 'checksum', 'checksum']);
        const corrupted = lab.path('corrupted.pcap');
        writeFileSync(corrupted, corruptFirstIsakmpPayloadLength(readFileSync(pcap)));
        expect(await decoderComplaints(corrupted)).toEqual([expect.objectContaining({ frame: 1, severity: 'error', group: 'malformed' })]);
      });
    }, 30_000);

    it('fails fast, with the reason in the log, when the PSK does not match', async () => {
      await withLab({ routerInsideAddresses: [`${RTX_LAN_ADDRESS}/32`] }, async (lab) => {
        await startStrongSwanResponder(lab.router, lab.path('responder'), rtxStrongSwanResponder());
        const client = await startStrongSwanClient(lab.client, lab.path('client'), rtxStrongSwanClient({ psk: 'WRONGKEY' }));
        const started = Date.now();
        const initiated = await client.initiate('rtx', { timeoutMs: 15_000 });
        expect(initiated.exitCode).not.toBe(0);
        expect(Date.now() - started).toBeLessThan(10_000);
        expect(client.log()).toMatch(/calculated HASH does not match HASH payload/);
        expect(await client.virtualIps()).toEqual([]);
      });
    }, 30_000);
  });

  describe('vpnc against the strongSwan responder with mode-cfg pull', () => {
    it('finishes phase 1, XAUTH, the mode-cfg request and Quick Mode, reaches its main loop with 10.1.1.110, and carries ESP', async () => {
      await withLab({ routerInsideAddresses: [`${RTX_LAN_ADDRESS}/32`] }, async (lab) => {
        // vpnc identifies itself with ID_KEY_ID and only knows mode-cfg REQUEST/REPLY.
        await startStrongSwanResponder(lab.router, lab.path('responder'), rtxStrongSwanResponder({ peerId: 'keyid:myid', pull: true }));
        const vpnc = startVpnc(lab.client, lab.path('vpnc'), rtxVpnc(), { routes: [RTX_LAN_NETWORK] });

        await vpnc.waitForMainLoop(15_000);
        const connect = vpnc.scriptCalls().find((call) => call.reason === 'connect');
        expect(connect?.variables.INTERNAL_IP4_ADDRESS).toBe(RTX_FIRST_POOL_ADDRESS);
        expect(connect?.variables.VPNGATEWAY).toBe(lab.router.address);
        expect(await lab.client.ping(RTX_LAN_ADDRESS, { count: 2 })).toBe(true);
        await vpnc.stop();
      });
    }, 30_000);
  });
});
