/**
 * CBC for a stream of independent messages under one key, without a cipher object per message
 * (ESP: every packet has its own IV, RFC 3602 §2; node's cipher objects cannot take a new IV, and
 * creating one per packet costs more than encrypting 1400 bytes of AES).
 *
 * Sealing: one long-lived CBC cipher. For each message it encrypts one fresh random block R
 * first: the output block E(R xor state) is unpredictable (R is), so it serves as the message's
 * IV, and the message's blocks that follow are exactly CBC under that IV. One extra block of
 * cipher work per message; the IV is as unpredictable as RFC 3602 requires.
 *
 * Opening: one long-lived CBC decipher. For each message it is fed the IV block and then the
 * ciphertext; the first output block is discarded (it decrypts the IV against the previous
 * message), and the rest is the plaintext, since CBC decryption of a block depends only on that
 * block and the one before it. Inputs must be whole blocks, so the state is always a block
 * boundary.
 */
import { createCipheriv, createDecipheriv, type Cipher, type Decipher } from 'node:crypto';
import { CIPHER_SPECS, CipherUnavailableError, isCipherAvailable, type CipherId } from './cipher.js';
import { createRandomPool } from './random-pool.js';

export class CbcSealStream {
  readonly blockSize: number;
  private readonly cipher: Cipher;
  /** Each packet's leading block: drawn a pool at a time, every byte once. */
  private readonly random = createRandomPool();

  constructor(id: CipherId, key: Buffer) {
    const spec = CIPHER_SPECS[id];
    if (key.length !== spec.keyLength) throw new RangeError(`${id} needs a ${spec.keyLength}-byte key, got ${key.length}`);
    if (!isCipherAvailable(id)) throw new CipherUnavailableError(id);
    this.blockSize = spec.blockSize;
    this.cipher = createCipheriv(spec.opensslName, key, Buffer.alloc(spec.blockSize)).setAutoPadding(false);
  }

  /**
   * Fills `block` (the first `blockSize` bytes of a message buffer) with fresh random bytes, then
   * encrypts the whole buffer in place of a copy: the result is IV (one block) then ciphertext.
   * `withRandomHead.length` must be whole blocks.
   */
  seal(withRandomHead: Buffer): Buffer {
    if (withRandomHead.length === 0 || withRandomHead.length % this.blockSize !== 0) {
      throw new RangeError(`CBC input of ${withRandomHead.length} bytes is not whole ${this.blockSize}-byte blocks`);
    }
    this.random(this.blockSize).copy(withRandomHead, 0);
    return this.cipher.update(withRandomHead);
  }
}

export class CbcOpenStream {
  readonly blockSize: number;
  private readonly decipher: Decipher;

  constructor(id: CipherId, key: Buffer) {
    const spec = CIPHER_SPECS[id];
    if (key.length !== spec.keyLength) throw new RangeError(`${id} needs a ${spec.keyLength}-byte key, got ${key.length}`);
    if (!isCipherAvailable(id)) throw new CipherUnavailableError(id);
    this.blockSize = spec.blockSize;
    this.decipher = createDecipheriv(spec.opensslName, key, Buffer.alloc(spec.blockSize)).setAutoPadding(false);
  }

  /**
   * `ivAndCiphertext`: the IV block followed by the ciphertext, whole blocks, at least two.
   * Returns the plaintext, or undefined when the input is not whole blocks (nothing is fed then).
   */
  open(ivAndCiphertext: Buffer): Buffer | undefined {
    if (ivAndCiphertext.length < 2 * this.blockSize || ivAndCiphertext.length % this.blockSize !== 0) return undefined;
    return this.decipher.update(ivAndCiphertext).subarray(this.blockSize);
  }
}
