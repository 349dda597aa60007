import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** The CBC ciphers IKEv1 Phase 1 (and ESP) can negotiate here. */
export type CipherId = 'des-cbc' | '3des-cbc' | 'aes128-cbc' | 'aes192-cbc' | 'aes256-cbc';

export interface CipherSpec {
  readonly id: CipherId;
  readonly keyLength: number;
  readonly blockSize: number;
  readonly opensslName: string;
}

export const CIPHER_SPECS: Readonly<Record<CipherId, CipherSpec>> = {
  'des-cbc': { id: 'des-cbc', keyLength: 8, blockSize: 8, opensslName: 'des-cbc' },
  '3des-cbc': { id: '3des-cbc', keyLength: 24, blockSize: 8, opensslName: 'des-ede3-cbc' },
  'aes128-cbc': { id: 'aes128-cbc', keyLength: 16, blockSize: 16, opensslName: 'aes-128-cbc' },
  'aes192-cbc': { id: 'aes192-cbc', keyLength: 24, blockSize: 16, opensslName: 'aes-192-cbc' },
  'aes256-cbc': { id: 'aes256-cbc', keyLength: 32, blockSize: 16, opensslName: 'aes-256-cbc' },
};

export function cipherSpec(id: CipherId): CipherSpec {
  return CIPHER_SPECS[id];
}

const availability = new Map<CipherId, boolean>();

/**
 * Whether this process can run the cipher. Single DES lives in OpenSSL 3's legacy provider,
 * which node loads only with --openssl-legacy-provider; a responder without it must answer a
 * DES-only proposal with NO-PROPOSAL-CHOSEN instead of failing later. Probed once per cipher.
 */
export function isCipherAvailable(id: CipherId): boolean {
  let available = availability.get(id);
  if (available === undefined) {
    const { opensslName, keyLength, blockSize } = CIPHER_SPECS[id];
    try {
      createCipheriv(opensslName, Buffer.alloc(keyLength), Buffer.alloc(blockSize));
      available = true;
    } catch {
      available = false;
    }
    availability.set(id, available);
  }
  return available;
}

export class CipherUnavailableError extends Error {
  constructor(readonly cipher: CipherId) {
    super(`${cipher} is not available in this process (single DES needs node --openssl-legacy-provider)`);
    this.name = 'CipherUnavailableError';
  }
}

/**
 * How the plaintext is filled up to the block size. RFC 2409 leaves it open and peers differ
 * (ikev1-notes §2): strongSwan adds 1..bs zero bytes (a whole block when already aligned),
 * libreswan 0..bs-1 zero bytes, racoon may use random bytes. Receivers find the end of the
 * payload chain themselves, so any of these must be accepted and any may be sent.
 */
export type PaddingPolicy =
  | { readonly kind: 'zeros'; readonly minimumLength: 0 | 1 }
  | { readonly kind: 'random'; readonly minimumLength: 0 | 1; readonly randomBytes?: (length: number) => Buffer };

/** Zeros, 1..bs bytes (a whole block when already aligned): strongSwan pads so. */
export const ZERO_PADDING: PaddingPolicy = { kind: 'zeros', minimumLength: 1 };
/** Zeros, 0..bs-1 bytes: libreswan pads so. */
export const ZERO_PADDING_OR_NONE: PaddingPolicy = { kind: 'zeros', minimumLength: 0 };

export function paddingLength(plaintextLength: number, blockSize: number, minimumLength: 0 | 1): number {
  const remainder = plaintextLength % blockSize;
  if (remainder !== 0) return blockSize - remainder;
  return minimumLength === 0 ? 0 : blockSize;
}

export function padToBlockSize(plaintext: Buffer, blockSize: number, policy: PaddingPolicy): Buffer {
  const length = paddingLength(plaintext.length, blockSize, policy.minimumLength);
  if (length === 0) return plaintext;
  const padding = policy.kind === 'zeros' ? Buffer.alloc(length) : (policy.randomBytes ?? randomBytes)(length);
  if (padding.length !== length) throw new RangeError(`padding source returned ${padding.length} bytes, wanted ${length}`);
  return Buffer.concat([plaintext, padding]);
}

function checkKeyAndIv(spec: CipherSpec, key: Buffer, iv: Buffer): void {
  if (key.length !== spec.keyLength) throw new RangeError(`${spec.id} needs a ${spec.keyLength}-byte key, got ${key.length}`);
  if (iv.length !== spec.blockSize) throw new RangeError(`${spec.id} needs a ${spec.blockSize}-byte IV, got ${iv.length}`);
  if (!isCipherAvailable(spec.id)) throw new CipherUnavailableError(spec.id);
}

/** CBC-encrypts `plaintext` after padding it by `padding`; the output is whole blocks. */
export function encryptCbc(id: CipherId, key: Buffer, iv: Buffer, plaintext: Buffer, padding: PaddingPolicy): Buffer {
  const spec = CIPHER_SPECS[id];
  checkKeyAndIv(spec, key, iv);
  const padded = padToBlockSize(plaintext, spec.blockSize, padding);
  const cipher = createCipheriv(spec.opensslName, key, iv);
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(padded), cipher.final()]);
}

export type CbcDecryptResult =
  | { readonly ok: true; readonly plaintext: Buffer }
  /** The ciphertext is empty or not a whole number of blocks: a malformed message, not a bug. */
  | { readonly ok: false; readonly problem: 'not-whole-blocks' };

/** CBC-decrypts; the plaintext keeps its padding (the payload chain tells where data ends). */
export function decryptCbc(id: CipherId, key: Buffer, iv: Buffer, ciphertext: Buffer): CbcDecryptResult {
  const spec = CIPHER_SPECS[id];
  checkKeyAndIv(spec, key, iv);
  if (ciphertext.length === 0 || ciphertext.length % spec.blockSize !== 0) return { ok: false, problem: 'not-whole-blocks' };
  const decipher = createDecipheriv(spec.opensslName, key, iv);
  decipher.setAutoPadding(false);
  return { ok: true, plaintext: Buffer.concat([decipher.update(ciphertext), decipher.final()]) };
}

/** The last ciphertext block: the IV of the next message in a CBC chain (RFC 2409 Appendix B). */
export function lastCipherBlock(ciphertext: Buffer, blockSize: number): Buffer {
  if (ciphertext.length < blockSize || ciphertext.length % blockSize !== 0) {
    throw new RangeError(`ciphertext of ${ciphertext.length} bytes is not whole ${blockSize}-byte blocks`);
  }
  return Buffer.from(ciphertext.subarray(ciphertext.length - blockSize));
}
