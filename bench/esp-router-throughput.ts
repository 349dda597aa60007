/**
 * ESP through the emulator: a client in this process seals 1400-byte ICMP echo requests to the
 * router's lan1 address, sends them as ESP in UDP to the router's NAT-T port on 127.0.0.1, the
 * router opens, answers and seals the reply, and the client opens it. Every round trip is two
 * seal+open pairs (one each way, both in this process), so the reference is raw node crypto
 * doing two pairs' worth of CBC + HMAC on the same bytes, measured in the same run.
 * Mbit/s count inner bytes both ways. A window of packets is kept in flight.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { performance } from 'node:perf_hooks';
import {
  ESP_ENCRYPTION_SPECS,
  ESP_INTEGRITY_SPECS,
  NextHeader,
  createEspSa,
  createInboundSa,
  createOutboundSa,
  receiveEspPacket,
  sealedLength,
  sendEspPacket,
  type EspSa,
  type EspTransform,
  type InboundSaState,
  type OutboundSaState,
} from '../src/esp/index.js';
import { buildIcmpEchoRequest } from '../src/esp/ip/index.js';
import { CIPHER_SPECS, type CipherId } from '../src/ike/crypto/index.js';
import type { IkeResponder, InstalledIpsecSa, ResponderEffect } from '../src/ike-responder/port.js';
import { systemClock } from '../src/router/clock.js';
import { LogSink } from '../src/router/log-sink.js';
import { Router } from '../src/router/router.js';
import type { BenchReport, BenchRow } from './run.js';

const INNER_BYTES = 1400;
const ICMP_DATA = INNER_BYTES - 20 - 8;
const RUN_MS = 1500;
const RAW_MS = 750;
/** Bounds every loop in count as well as in time. */
const MAX_ROUND_TRIPS = 500_000;
const WINDOW = 32;
const TARGET_RATIO = 0.6;
const ROUTER_ADDRESS = '10.1.1.1';
const CLIENT_ADDRESS = '10.1.1.110';

const TRANSFORMS: readonly { readonly label: string; readonly transform: EspTransform & { encryption: CipherId; integrity: 'hmac-sha1-96' } }[] = [
  { label: '3DES-SHA1', transform: { encryption: '3des-cbc', integrity: 'hmac-sha1-96' } },
  { label: 'AES128-SHA1', transform: { encryption: 'aes128-cbc', integrity: 'hmac-sha1-96' } },
];

function directionKeys(transform: EspTransform, spi: number) {
  const spiBytes = Buffer.alloc(4);
  spiBytes.writeUInt32BE(spi);
  return {
    spi: spiBytes,
    encryptionKey: randomBytes(ESP_ENCRYPTION_SPECS[transform.encryption].keyLength),
    integrityKey: randomBytes(ESP_INTEGRITY_SPECS[transform.integrity].keyLength),
  };
}

/** Announces one SA pair on the first IKE datagram, as Quick Mode would. */
class OnePairResponder implements IkeResponder {
  constructor(private pending: ResponderEffect[]) {}
  receive(): ResponderEffect[] {
    return this.pending.splice(0);
  }
  tick(): ResponderEffect[] {
    return [];
  }
  nextDeadline(): number | undefined {
    return undefined;
  }
}

const bindClient = (): Promise<Socket> =>
  new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => resolve(socket));
  });

/** Round trips per second through a running router. */
async function throughRouter(transform: (typeof TRANSFORMS)[number]['transform']): Promise<number> {
  const client = await bindClient();
  const installed: InstalledIpsecSa = {
    tunnelId: 1,
    gatewayId: 1,
    peer: { address: '127.0.0.1', port: client.address().port },
    local: { address: '127.0.0.1', port: 0 },
    udpEncapsulated: true,
    encryption: transform.encryption,
    integrity: transform.integrity,
    inbound: directionKeys(transform, 0x1000),
    outbound: directionKeys(transform, 0x2000),
    lifeSeconds: 28800,
    establishedAt: Date.now(),
    internalAddress: CLIENT_ADDRESS,
  };
  const router = new Router({
    bind: '127.0.0.1',
    ikePort: 0,
    nattPort: 0,
    inside: { ownAddresses: new Set([ROUTER_ADDRESS]), lanHosts: new Set() },
    responder: new OnePairResponder([{ kind: 'ipsec-sa-installed', sa: installed, tunnelCameUp: true }]),
    logSink: new LogSink({ clock: systemClock, settings: { info: false, notice: false, debug: false } }),
    clock: systemClock,
  });
  const listening = await router.start();
  try {
    await new Promise<void>((resolve) => client.send(Buffer.from('ike'), listening.ike.port, '127.0.0.1', () => resolve()));
    await new Promise((resolve) => setTimeout(resolve, 50));
    let outbound: OutboundSaState = createOutboundSa(createEspSa(transform, installed.inbound), { lifetime: {}, now: 0 });
    let inbound: InboundSaState = createInboundSa(createEspSa(transform, installed.outbound), { lifetime: {}, now: 0 });
    const data = randomBytes(ICMP_DATA);
    let sequence = 0;
    const sendOne = () => {
      const request = buildIcmpEchoRequest({ source: CLIENT_ADDRESS, destination: ROUTER_ADDRESS, identifier: 1, sequenceNumber: sequence++ & 0xffff, data });
      const step = sendEspPacket(outbound, request, NextHeader.IPV4, 0);
      outbound = step.state;
      if (step.outcome.kind !== 'sealed') throw new Error(step.outcome.reason);
      client.send(step.outcome.packet, listening.natt.port, '127.0.0.1');
    };
    return await new Promise<number>((resolve, reject) => {
      const start = performance.now();
      let answered = 0;
      let inFlight = 0;
      const finish = () => resolve(answered / ((performance.now() - start) / 1000));
      // A lost datagram must not hang the bench: top the window up on a timer as well.
      const refill = setInterval(() => {
        while (inFlight < WINDOW) {
          inFlight++;
          sendOne();
        }
      }, 20);
      client.on('message', (bytes) => {
        const step = receiveEspPacket(inbound, bytes, 0);
        inbound = step.state;
        if (step.outcome.kind !== 'delivered') return reject(new Error(`reply not delivered: ${JSON.stringify(step.outcome)}`));
        answered++;
        inFlight = Math.max(0, inFlight - 1);
        if (performance.now() - start >= RUN_MS || answered >= MAX_ROUND_TRIPS) {
          clearInterval(refill);
          client.removeAllListeners('message');
          return finish();
        }
        inFlight++;
        sendOne();
      });
      for (; inFlight < WINDOW; inFlight++) sendOne();
    });
  } finally {
    await router.stop();
    await new Promise<void>((resolve) => client.close(() => resolve()));
  }
}

/** Seal+open pairs per second of raw node crypto for this SA's packet size. */
function rawPairsPerSecond(sa: EspSa): number {
  const cipherName = CIPHER_SPECS[sa.encryptionSpec.cipher!].opensslName;
  const hash = sa.integritySpec.hash!;
  const ivLength = sa.encryptionSpec.ivLength;
  const plaintext = randomBytes(sealedLength(sa, INNER_BYTES) - 8 - ivLength - sa.integritySpec.icvLength);
  const header = randomBytes(8);
  const start = performance.now();
  let pairs = 0;
  while (pairs < MAX_ROUND_TRIPS * 2 && performance.now() - start < RAW_MS) {
    const iv = randomBytes(ivLength);
    const cipher = createCipheriv(cipherName, sa.encryptionKey, iv).setAutoPadding(false);
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    createHmac(hash, sa.integrityKey).update(header).update(iv).update(ciphertext).digest();
    createHmac(hash, sa.integrityKey).update(header).update(iv).update(ciphertext).digest();
    const decipher = createDecipheriv(cipherName, sa.encryptionKey, iv).setAutoPadding(false);
    Buffer.concat([decipher.update(ciphertext), decipher.final()]);
    pairs++;
  }
  return pairs / ((performance.now() - start) / 1000);
}

const mbits = (packetsPerSecond: number): number => (packetsPerSecond * INNER_BYTES * 8) / 1e6;

export default async function espRouterThroughputBench(): Promise<BenchReport> {
  const rows: BenchRow[] = [{ metric: 'inner packet size', value: `${INNER_BYTES} bytes, ICMP echo to lan1 over UDP 127.0.0.1, window ${WINDOW}` }];
  let targetMet = true;
  for (const { label, transform } of TRANSFORMS) {
    const sa = createEspSa(transform, directionKeys(transform, 0x3000));
    const raw = rawPairsPerSecond(sa);
    const roundTrips = await throughRouter(transform);
    // Each round trip carries one inner packet each way: two seal+open pairs.
    const ratio = (roundTrips * 2) / raw;
    targetMet &&= ratio >= TARGET_RATIO;
    rows.push(
      { metric: `${label} raw node crypto (seal+open pairs)`, value: `${mbits(raw).toFixed(0)} Mbit/s` },
      { metric: `${label} through the router (both ways)`, value: `${mbits(roundTrips * 2).toFixed(0)} Mbit/s` },
      { metric: `${label} router / raw`, value: `${(ratio * 100).toFixed(0)}%` },
    );
  }
  return {
    name: 'esp-router-throughput',
    rows,
    target: { description: `ESP through UDP sockets >= ${TARGET_RATIO * 100}% of raw node crypto`, met: targetMet },
  };
}
