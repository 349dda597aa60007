/**
 * ESP through the emulator: an `RtxRouter` on the seed config (its SA policy set to the
 * transform), the bundled client negotiates a tunnel with it, then seals 1400-byte ICMP echo
 * requests to the router's lan1 address with the negotiated keys and sends them as ESP in UDP
 * from its NAT-T socket; the router opens, answers and seals the reply, and the client opens it. Every round trip is two
 * seal+open pairs (one each way, both in this process), so the reference is raw node crypto
 * doing two pairs' worth of CBC + HMAC on the same bytes, measured in the same run.
 * Mbit/s count inner bytes both ways. A window of packets is kept in flight.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
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
import { connectClient, DEFAULT_CONFIG_TEXT, startRtxRouter } from '../src/index.js';
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

const TRANSFORMS: readonly { readonly label: string; readonly policy: string; readonly transform: EspTransform & { encryption: CipherId; integrity: 'hmac-sha1-96' } }[] = [
  { label: '3DES-SHA1', policy: 'esp 3des-cbc sha-hmac', transform: { encryption: '3des-cbc', integrity: 'hmac-sha1-96' } },
  { label: 'AES128-SHA1', policy: 'esp aes-cbc sha-hmac', transform: { encryption: 'aes128-cbc', integrity: 'hmac-sha1-96' } },
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

/** Round trips per second through a running router, over a tunnel the bundled client negotiated. */
async function throughRouter({ policy, transform }: (typeof TRANSFORMS)[number]): Promise<number> {
  const config = DEFAULT_CONFIG_TEXT.replace('ipsec sa policy 1 1 esp 3des-cbc sha-hmac', `ipsec sa policy 1 1 ${policy}`).replace('syslog debug on', 'syslog debug off');
  const router = await startRtxRouter({ config: { text: config }, ikePort: 0, nattPort: 0 });
  const result = await connectClient({ gateway: router.listening!, overrides: { esp: transform } });
  try {
    if (result.outcome !== 'established' || !result.espSas || !result.tunnel?.esp) throw new Error(`no tunnel: ${result.outcome === 'failed' ? result.failure.text : 'no ESP path'}`);
    const path = result.tunnel.esp;
    let outbound: OutboundSaState = createOutboundSa(createEspSa(transform, result.espSas.outbound), { lifetime: {}, now: 0 });
    let inbound: InboundSaState = createInboundSa(createEspSa(transform, result.espSas.inbound), { lifetime: {}, now: 0 });
    const clientAddress = result.modeCfg?.address ?? CLIENT_ADDRESS;
    const data = randomBytes(ICMP_DATA);
    let sequence = 0;
    const sendOne = () => {
      const request = buildIcmpEchoRequest({ source: clientAddress, destination: ROUTER_ADDRESS, identifier: 1, sequenceNumber: sequence++ & 0xffff, data });
      const step = sendEspPacket(outbound, request, NextHeader.IPV4, 0);
      outbound = step.state;
      if (step.outcome.kind !== 'sealed') throw new Error(step.outcome.reason);
      void path.send(step.outcome.packet);
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
      const unsubscribe = path.onPacket((bytes) => {
        const step = receiveEspPacket(inbound, bytes, 0);
        inbound = step.state;
        if (step.outcome.kind !== 'delivered') return reject(new Error(`reply not delivered: ${JSON.stringify(step.outcome)}`));
        answered++;
        inFlight = Math.max(0, inFlight - 1);
        if (performance.now() - start >= RUN_MS || answered >= MAX_ROUND_TRIPS) {
          clearInterval(refill);
          unsubscribe();
          return finish();
        }
        inFlight++;
        sendOne();
      });
      for (; inFlight < WINDOW; inFlight++) sendOne();
    });
  } finally {
    if (result.outcome === 'established') await result.tunnel?.close();
    await router.stop();
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
  for (const entry of TRANSFORMS) {
    const { label, transform } = entry;
    const sa = createEspSa(transform, directionKeys(transform, 0x3000));
    const raw = rawPairsPerSecond(sa);
    const roundTrips = await throughRouter(entry);
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
