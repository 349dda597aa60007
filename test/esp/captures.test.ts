// The ESP packets of real captures: a strongSwan 5.9.8 client (kernel-libipsec, ESP in UDP 4500)
// pinging 10.1.1.254 through its tunnel to an RTX-shaped responder. The SAs are keyed from the
// captured Quick Mode (support/captured-esp.ts); the expected inner packets are what tshark 4.0
// showed when it decrypted the same frames with the same keys.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  NextHeader,
  createInboundSa,
  formatEspSaRecord,
  openEspPacket,
  receiveEspPacket,
  sealEspPacket,
  type InboundSaState,
} from '../../src/esp/index.js';
import { answerIcmpEcho, decodeIcmpEcho, decodeIpv4Packet } from '../../src/esp/ip/index.js';
import { runCommand } from '../interop/lab/process.js';
import { capturesDir } from '../support/paths.js';
import { loadCapturedEsp } from './support/captured-esp.js';

const captures = [
  {
    name: 'strongswan-push',
    spi: 0xd5866ebf,
    pings: [
      { frame: 13, sequenceNumber: 1, ipIdentification: 0xa386, icmpIdentifier: 26083, icmpSequence: 1 },
      { frame: 14, sequenceNumber: 2, ipIdentification: 0xa3d3, icmpIdentifier: 26083, icmpSequence: 2 },
    ],
  },
  {
    name: 'strongswan-pull',
    spi: 0x13633cdb,
    pings: [
      { frame: 15, sequenceNumber: 1, ipIdentification: 0xcf01, icmpIdentifier: 26465, icmpSequence: 1 },
      { frame: 16, sequenceNumber: 2, ipIdentification: 0xcf4c, icmpIdentifier: 26465, icmpSequence: 2 },
    ],
  },
];

describe.each(captures)('capture $name', ({ name, spi, pings }) => {
  const captured = loadCapturedEsp(name);
  const sa = captured.initiatorToResponder;

  it('negotiated 3DES-CBC with HMAC-SHA1-96, and the client’s packets carry the responder’s SPI', () => {
    expect(captured.transform).toEqual({ encryption: '3des-cbc', integrity: 'hmac-sha1-96' });
    expect(sa.spi).toBe(spi);
    expect(captured.espPackets.map(({ packet }) => packet.readUInt32BE(0))).toEqual(pings.map(() => spi));
  });

  it('opens every ESP packet: ICV verified, strongSwan’s pad bytes 1, 2 accepted, next header IPv4', () => {
    const opened = captured.espPackets.map(({ packet }) => openEspPacket(sa, packet));
    expect(opened.map((result) => result.ok && { sequenceNumber: result.packet.sequenceNumber, padLength: result.packet.padLength, nextHeader: result.packet.nextHeader })).toEqual(
      pings.map(({ sequenceNumber }) => ({ sequenceNumber, padLength: 2, nextHeader: NextHeader.IPV4 })),
    );
  });

  it('the inner packets decode as the captured pings: 10.1.1.110 -> 10.1.1.254, echo requests 1 and 2, 56 data bytes', () => {
    const decoded = captured.espPackets.map(({ datagram, packet }) => {
      const opened = openEspPacket(sa, packet);
      if (!opened.ok) throw new Error(opened.problem);
      const ip = decodeIpv4Packet(opened.packet.payload);
      if (!ip.ok) throw new Error(ip.problem);
      const icmp = decodeIcmpEcho(ip.packet.payload);
      if (!icmp.ok) throw new Error(icmp.problem);
      return {
        frame: datagram.frame,
        sequenceNumber: opened.packet.sequenceNumber,
        ipIdentification: ip.packet.header.identification,
        icmpIdentifier: icmp.echo.identifier,
        icmpSequence: icmp.echo.sequenceNumber,
        route: `${ip.packet.header.source} -> ${ip.packet.header.destination}`,
        kind: icmp.echo.kind,
        dataLength: icmp.echo.data.length,
      };
    });
    expect(decoded).toEqual(pings.map((ping) => ({ ...ping, route: '10.1.1.110 -> 10.1.1.254', kind: 'request', dataLength: 56 })));
  });

  it('re-sealing the inner packet with the captured IV and sequence number gives strongSwan’s bytes exactly', () => {
    for (const { packet } of captured.espPackets) {
      const opened = openEspPacket(sa, packet);
      if (!opened.ok) throw new Error(opened.problem);
      const iv = packet.subarray(8, 16);
      expect(sealEspPacket(sa, opened.packet.sequenceNumber, opened.packet.payload, NextHeader.IPV4, undefined, iv)).toEqual(packet);
    }
  });

  it('through the inbound SA: both counted, then a replay of the first is dropped and a tampered copy fails the ICV', () => {
    let state: InboundSaState = createInboundSa(sa, { lifetime: { seconds: 28800 }, now: 0 });
    for (const { packet } of captured.espPackets) state = receiveEspPacket(state, packet, 1000).state;
    expect(state.counters).toMatchObject({ packets: 2, octets: 168 });
    const [first] = captured.espPackets;
    expect(receiveEspPacket(state, first!.packet, 1000).outcome).toEqual({ kind: 'dropped', reason: 'replayed', sequenceNumber: 1 });
    const tampered = Buffer.from(captured.espPackets[1]!.packet);
    tampered[40]! ^= 0x10;
    expect(receiveEspPacket(createInboundSa(sa, { lifetime: {}, now: 0 }), tampered, 0).outcome).toMatchObject({ kind: 'dropped', reason: 'bad-icv' });
  });

  it('the pinged address answers through the responder -> client SA, and the client opens an echo reply', () => {
    const opened = openEspPacket(sa, captured.espPackets[0]!.packet);
    if (!opened.ok) throw new Error(opened.problem);
    const answer = answerIcmpEcho(opened.packet.payload, new Set(['10.1.1.254']));
    if (answer.kind !== 'reply') throw new Error(answer.why);
    const back = captured.responderToInitiator;
    const atClient = openEspPacket(back, sealEspPacket(back, 1, answer.packet, NextHeader.IPV4));
    if (!atClient.ok) throw new Error(atClient.problem);
    const ip = decodeIpv4Packet(atClient.packet.payload);
    const echo = ip.ok ? decodeIcmpEcho(ip.packet.payload) : undefined;
    expect(ip.ok && `${ip.packet.header.source} -> ${ip.packet.header.destination}`).toBe('10.1.1.254 -> 10.1.1.110');
    expect(echo?.ok && echo.echo).toMatchObject({ kind: 'reply', identifier: pings[0]!.icmpIdentifier, sequenceNumber: 1 });
  });

  const tsharkMissing = process.env.CI !== 'true' && spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status !== 0; // required in CI
  it.skipIf(tsharkMissing)(`tshark verifies the ICVs with the esp_sa record formatted from these keys${tsharkMissing ? ' (SKIPPED: no tshark)' : ''}`, async () => {
    const record = formatEspSaRecord(captured.clientAddress, captured.responderAddress, sa);
    const result = await runCommand(
      [
        'tshark', '-n', '-r', join(capturesDir, name, 'capture.pcap'),
        '-o', 'esp.enable_encryption_decode:TRUE', '-o', 'esp.enable_authentication_check:TRUE', '-o', `uat:esp_sa:${record}`,
        '-Y', 'esp', '-T', 'fields', '-e', 'esp.icv_good', '-e', 'icmp.seq',
      ],
      { timeoutMs: 30_000 },
    );
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout.trim().split('\n')).toEqual(pings.map(({ icmpSequence }) => `1\t${icmpSequence}`));
  });
});
