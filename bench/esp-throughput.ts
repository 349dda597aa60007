/**
 * ESP core throughput: 1400-byte inner packets sealed by an outbound SA and opened by the
 * matching inbound SA (sequence numbers, anti-replay window, counters, padding checks, all of
 * src/esp), next to the raw node:crypto work for the same bytes measured in the same run:
 * CBC-encrypt plus HMAC, then HMAC plus CBC-decrypt, one cipher object per packet as ESP's
 * per-packet IV requires. Mbit/s count inner bytes of seal+open pairs on one core.
 * Sockets are not involved: the through-the-emulator figure (UDP 4500) comes later;
 * this is the ceiling the data plane core leaves for it.
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
} from '../src/esp/index.js';
import { CIPHER_SPECS } from '../src/ike/crypto/index.js';
import type { BenchReport, BenchRow } from './run.js';

const PACKET_BYTES = 1400;
const TRIAL_MS = 500;
const TRIALS = 3;
/** Bounds every loop in count as well as in time. */
const MAX_PACKETS_PER_TRIAL = 2_000_000;
const TARGET_RATIO = 0.6;

const TRANSFORMS: readonly { readonly label: string; readonly transform: EspTransform }[] = [
  { label: '3DES-SHA1', transform: { encryption: '3des-cbc', integrity: 'hmac-sha1-96' } },
  { label: 'AES128-SHA1', transform: { encryption: 'aes128-cbc', integrity: 'hmac-sha1-96' } },
];

function benchSa(transform: EspTransform): EspSa {
  const spi = Buffer.from('c0ffee01', 'hex');
  return createEspSa(transform, {
    spi,
    encryptionKey: randomBytes(ESP_ENCRYPTION_SPECS[transform.encryption].keyLength),
    integrityKey: randomBytes(ESP_INTEGRITY_SPECS[transform.integrity].keyLength),
  });
}

/** Packets per second of `work`, run for about TRIAL_MS (bounded by MAX_PACKETS_PER_TRIAL). */
function packetsPerSecond(work: () => void): number {
  const start = performance.now();
  const deadline = start + TRIAL_MS;
  let packets = 0;
  while (packets < MAX_PACKETS_PER_TRIAL) {
    for (let i = 0; i < 64; i++) work();
    packets += 64;
    if (performance.now() >= deadline) break;
  }
  return packets / ((performance.now() - start) / 1000);
}

/** The raw node:crypto cost of one sealed and opened packet of this SA's size. */
function rawCryptoWork(sa: EspSa): () => void {
  const cipherName = CIPHER_SPECS[sa.encryptionSpec.cipher!].opensslName;
  const hash = sa.integritySpec.hash!;
  const ivLength = sa.encryptionSpec.ivLength;
  const encryptedLength = sealedLength(sa, PACKET_BYTES) - 8 - ivLength - sa.integritySpec.icvLength;
  const plaintext = randomBytes(encryptedLength);
  const header = randomBytes(8);
  return () => {
    const iv = randomBytes(ivLength);
    const cipher = createCipheriv(cipherName, sa.encryptionKey, iv).setAutoPadding(false);
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    const icv = createHmac(hash, sa.integrityKey).update(header).update(iv).update(ciphertext).digest();
    const check = createHmac(hash, sa.integrityKey).update(header).update(iv).update(ciphertext).digest();
    if (check[0] !== icv[0]) throw new Error('unreachable');
    const decipher = createDecipheriv(cipherName, sa.encryptionKey, iv).setAutoPadding(false);
    Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  };
}

/** One packet through the esp module: outbound SA seals, inbound SA opens. */
function espWork(sa: EspSa): () => void {
  const inner = randomBytes(PACKET_BYTES);
  let outbound = createOutboundSa(sa, { lifetime: {}, now: 0 });
  let inbound = createInboundSa(sa, { lifetime: {}, now: 0 });
  return () => {
    const sent = sendEspPacket(outbound, inner, NextHeader.IPV4, 0);
    if (sent.outcome.kind !== 'sealed') throw new Error(`refused: ${sent.outcome.reason}`);
    outbound = sent.state;
    const received = receiveEspPacket(inbound, sent.outcome.packet, 0);
    if (received.outcome.kind !== 'delivered') throw new Error(`not delivered: ${JSON.stringify(received.outcome)}`);
    inbound = received.state;
  };
}

const mbits = (packetsPerSecondValue: number): number => (packetsPerSecondValue * PACKET_BYTES * 8) / 1e6;
const formatMbits = (value: number): string => `${value.toFixed(0)} Mbit/s`;

export default function espThroughputBench(): BenchReport {
  const rows: BenchRow[] = [];
  let targetMet = true;
  for (const { label, transform } of TRANSFORMS) {
    const sa = benchSa(transform);
    const raw = rawCryptoWork(sa);
    const esp = espWork(sa);
    raw();
    esp();
    // Alternate the two so drift in the machine's speed hits both; keep each one's best trial.
    let rawBest = 0;
    let espBest = 0;
    for (let trial = 0; trial < TRIALS; trial++) {
      rawBest = Math.max(rawBest, packetsPerSecond(raw));
      espBest = Math.max(espBest, packetsPerSecond(esp));
    }
    const ratio = espBest / rawBest;
    targetMet &&= ratio >= TARGET_RATIO;
    rows.push(
      { metric: `${label} raw node crypto (encrypt+HMAC, HMAC+decrypt)`, value: formatMbits(mbits(rawBest)) },
      { metric: `${label} through src/esp (outbound seal + inbound open)`, value: formatMbits(mbits(espBest)) },
      { metric: `${label} esp / raw`, value: `${(ratio * 100).toFixed(0)}%` },
    );
  }
  rows.unshift({ metric: 'inner packet size', value: `${PACKET_BYTES} bytes, one core, seal+open pairs` });
  return {
    name: 'esp-throughput',
    rows,
    target: { description: `ESP core >= ${TARGET_RATIO * 100}% of raw node crypto (sockets not included)`, met: targetMet },
  };
}
