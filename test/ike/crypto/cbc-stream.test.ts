/**
 * CBC streams: many messages under one key, each with its own IV, through one long-lived cipher
 * object per direction. What they produce must be exactly per-message CBC, checked against the
 * one-cipher-per-message functions.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CbcOpenStream, CbcSealStream, CIPHER_SPECS, decryptCbc, encryptCbc, ZERO_PADDING_OR_NONE, type CipherId } from '../../../src/ike/crypto/index.js';

const CIPHERS: readonly CipherId[] = ['3des-cbc', 'aes128-cbc', 'aes256-cbc'];

describe.each(CIPHERS)('%s', (id) => {
  const { keyLength, blockSize } = CIPHER_SPECS[id];
  const key = randomBytes(keyLength);
  const messages = [1, 3, 1, 90, 2].map((blocks) => randomBytes(blocks * blockSize));

  it('seals each message as CBC under a fresh IV that leads the output', () => {
    const stream = new CbcSealStream(id, key);
    const ivs = new Set<string>();
    for (const message of messages) {
      const sealed = stream.seal(Buffer.concat([Buffer.alloc(blockSize), message]));
      expect(sealed.length).toBe(blockSize + message.length);
      const iv = sealed.subarray(0, blockSize);
      ivs.add(iv.toString('hex'));
      const opened = decryptCbc(id, key, Buffer.from(iv), sealed.subarray(blockSize));
      expect(opened).toEqual({ ok: true, plaintext: message });
    }
    expect(ivs.size).toBe(messages.length);
  });

  it('opens messages sealed one cipher object each, in any order, whatever came before', () => {
    const stream = new CbcOpenStream(id, key);
    const sealed = messages.map((message) => {
      const iv = randomBytes(blockSize);
      return Buffer.concat([iv, encryptCbc(id, key, iv, message, ZERO_PADDING_OR_NONE)]);
    });
    for (const index of [3, 0, 4, 1, 2, 2, 0]) expect(stream.open(sealed[index]!)).toEqual(messages[index]);
  });

  it('a seal stream and an open stream agree', () => {
    const seal = new CbcSealStream(id, key);
    const open = new CbcOpenStream(id, key);
    for (const message of messages) expect(open.open(seal.seal(Buffer.concat([Buffer.alloc(blockSize), message])))).toEqual(message);
  });

  it('refuses input that is not whole blocks, and keeps working after', () => {
    const seal = new CbcSealStream(id, key);
    const open = new CbcOpenStream(id, key);
    expect(() => seal.seal(Buffer.alloc(blockSize + 1))).toThrow(RangeError);
    expect(open.open(Buffer.alloc(blockSize * 2 + 3))).toBeUndefined();
    expect(open.open(Buffer.alloc(blockSize))).toBeUndefined(); // an IV and no ciphertext
    const message = messages[1]!;
    expect(open.open(seal.seal(Buffer.concat([Buffer.alloc(blockSize), message])))).toEqual(message);
  });
});

it('refuses a key of the wrong length', () => {
  expect(() => new CbcSealStream('aes128-cbc', Buffer.alloc(15))).toThrow(RangeError);
  expect(() => new CbcOpenStream('3des-cbc', Buffer.alloc(16))).toThrow(RangeError);
});
