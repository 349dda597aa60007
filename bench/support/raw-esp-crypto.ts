/**
 * The reference the ESP benches compare against: what one seal + open pair of an ESP packet
 * costs in raw node crypto (a cipher object and a random IV per packet, CBC over the padded
 * payload, the HMAC computed on both sides), with nothing of rtxlab in the way.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createEspSa, ESP_ENCRYPTION_SPECS, ESP_INTEGRITY_SPECS, sealedLength, type EspSa, type EspTransform } from '../../src/esp/index.js';
import { CIPHER_SPECS } from '../../src/ike/crypto/index.js';

/** An SA with random keys for the transform: the reference needs keys of the right sizes only. */
export function referenceSa(transform: EspTransform): EspSa {
  const spi = Buffer.from([0, 0, 0x30, 0]);
  return createEspSa(transform, {
    spi,
    encryptionKey: randomBytes(ESP_ENCRYPTION_SPECS[transform.encryption].keyLength),
    integrityKey: randomBytes(ESP_INTEGRITY_SPECS[transform.integrity].keyLength),
  });
}

/** Seal + open pairs of `innerBytes` packets for about `ms`, bounded by `maxPairs`. */
export function rawPairs(sa: EspSa, innerBytes: number, ms: number, maxPairs: number): { pairs: number; wallMs: number; cpuMicros: number } {
  const cipherName = CIPHER_SPECS[sa.encryptionSpec.cipher!].opensslName;
  const hash = sa.integritySpec.hash!;
  const ivLength = sa.encryptionSpec.ivLength;
  const plaintext = randomBytes(sealedLength(sa, innerBytes) - 8 - ivLength - sa.integritySpec.icvLength);
  const header = randomBytes(8);
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  let pairs = 0;
  while (pairs < maxPairs && performance.now() - start < ms) {
    const iv = randomBytes(ivLength);
    const cipher = createCipheriv(cipherName, sa.encryptionKey, iv).setAutoPadding(false);
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    createHmac(hash, sa.integrityKey).update(header).update(iv).update(ciphertext).digest();
    createHmac(hash, sa.integrityKey).update(header).update(iv).update(ciphertext).digest();
    const decipher = createDecipheriv(cipherName, sa.encryptionKey, iv).setAutoPadding(false);
    Buffer.concat([decipher.update(ciphertext), decipher.final()]);
    pairs++;
  }
  const cpu = process.cpuUsage(cpuBefore);
  return { pairs, wallMs: performance.now() - start, cpuMicros: cpu.user + cpu.system };
}
