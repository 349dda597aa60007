// ESP packets assembled from node:crypto directly, independently of src/esp: an oracle for the
// sealer, and a way to build packets the sealer never would (bad padding, odd lengths).
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import type { EspSa } from '../../../src/esp/index.js';

const OPENSSL_NAMES: Record<string, string> = {
  'des-cbc': 'des-cbc',
  '3des-cbc': 'des-ede3-cbc',
  'aes128-cbc': 'aes-128-cbc',
  'aes192-cbc': 'aes-192-cbc',
  'aes256-cbc': 'aes-256-cbc',
};
const HMAC: Record<string, { hash: string; bytes: number } | undefined> = {
  'hmac-md5-96': { hash: 'md5', bytes: 12 },
  'hmac-sha1-96': { hash: 'sha1', bytes: 12 },
  'hmac-sha256-128': { hash: 'sha256', bytes: 16 },
  none: undefined,
};
const IV_LENGTH: Record<string, number> = { 'des-cbc': 8, '3des-cbc': 8, 'aes128-cbc': 16, 'aes192-cbc': 16, 'aes256-cbc': 16, null: 0 };

export interface RawEspFields {
  readonly sequenceNumber: number;
  /** Everything that gets encrypted: payload | padding | pad length | next header, as the test wants it. */
  readonly plaintext: Buffer;
  readonly iv?: Buffer;
}

export function ivLengthOf(sa: EspSa): number {
  return IV_LENGTH[sa.encryption]!;
}

export function icvLengthOf(sa: EspSa): number {
  return HMAC[sa.integrity]?.bytes ?? 0;
}

export function buildRawEspPacket(sa: EspSa, fields: RawEspFields): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(sa.spi, 0);
  header.writeUInt32BE(fields.sequenceNumber, 4);
  const iv = fields.iv ?? randomBytes(ivLengthOf(sa));
  let ciphertext = fields.plaintext;
  if (sa.encryption !== 'null') {
    const cipher = createCipheriv(OPENSSL_NAMES[sa.encryption]!, sa.encryptionKey, iv).setAutoPadding(false);
    ciphertext = Buffer.concat([cipher.update(fields.plaintext), cipher.final()]);
  }
  const authenticated = Buffer.concat([header, iv, ciphertext]);
  const hmac = HMAC[sa.integrity];
  if (hmac === undefined) return authenticated;
  return Buffer.concat([authenticated, createHmac(hmac.hash, sa.integrityKey).update(authenticated).digest().subarray(0, hmac.bytes)]);
}

/** payload | 1, 2, ..., padLength | padLength | nextHeader: the RFC 4303 trailer done by hand. */
export function plaintextWithTrailer(payload: Buffer, padLength: number, nextHeader: number): Buffer {
  return Buffer.concat([payload, Buffer.from(Array.from({ length: padLength }, (_, i) => i + 1)), Buffer.of(padLength, nextHeader)]);
}

/** Decrypts the ciphertext of a sealed packet by hand: payload | padding | pad length | next header. */
export function decryptByHand(sa: EspSa, packet: Buffer): Buffer {
  const ivLength = ivLengthOf(sa);
  const icvLength = icvLengthOf(sa);
  const ciphertext = packet.subarray(8 + ivLength, packet.length - icvLength);
  if (sa.encryption === 'null') return Buffer.from(ciphertext);
  const decipher = createDecipheriv(OPENSSL_NAMES[sa.encryption]!, sa.encryptionKey, packet.subarray(8, 8 + ivLength)).setAutoPadding(false);
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
}
