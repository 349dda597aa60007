import { spawnSync } from 'node:child_process';
import { createCipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CIPHER_SPECS,
  CipherUnavailableError,
  ZERO_PADDING_OR_NONE,
  ZERO_PADDING,
  decryptCbc,
  encryptCbc,
  isCipherAvailable,
  lastCipherBlock,
  padToBlockSize,
  type CipherId,
} from '../../../src/ike/crypto/cipher.js';
import { repoRoot } from '../../support/paths.js';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');
const NO_PADDING = ZERO_PADDING_OR_NONE; // adds nothing to whole blocks

/** Single-block CBC with a zero IV is the raw block cipher: ECB, block by block. */
function encryptBlocksEcb(cipher: CipherId, key: Buffer, plaintext: Buffer): Buffer {
  const { blockSize } = CIPHER_SPECS[cipher];
  const blocks: Buffer[] = [];
  for (let offset = 0; offset < plaintext.length; offset += blockSize) {
    blocks.push(encryptCbc(cipher, key, Buffer.alloc(blockSize), plaintext.subarray(offset, offset + blockSize), NO_PADDING));
  }
  return Buffer.concat(blocks);
}

describe('3DES-CBC', () => {
  const key = hex('0123456789ABCDEF 23456789ABCDEF01 456789ABCDEF0123');

  it('matches the NIST SP 800-67 example, block by block', () => {
    expect(encryptBlocksEcb('3des-cbc', key, Buffer.from('The qufck brown fox jump')).toString('hex')).toBe(
      'a826fd8ce53b855fcce21c8112256fe668d5c05dd9b6b900',
    );
    expect(encryptBlocksEcb('3des-cbc', key, Buffer.from('Now is t')).toString('hex')).toBe('314f8327fa7a09a8');
  });

  it('chains blocks: C1 = E(P1 xor IV), C2 = E(P2 xor C1)', () => {
    const iv = hex('0102030405060708');
    const plaintext = Buffer.from('The qufck brown ');
    const ciphertext = encryptCbc('3des-cbc', key, iv, plaintext, NO_PADDING);
    const ecb = createCipheriv('des-ede3', key, null).setAutoPadding(false);
    const xor = (a: Buffer, b: Buffer): Buffer => Buffer.from(a.map((byte, i) => byte ^ b[i]!));
    const c1 = ecb.update(xor(plaintext.subarray(0, 8), iv));
    const c2 = ecb.update(xor(plaintext.subarray(8, 16), c1));
    expect(ciphertext).toEqual(Buffer.concat([c1, c2]));
    expect(decryptCbc('3des-cbc', key, iv, ciphertext)).toEqual({ ok: true, plaintext });
  });
});

describe('AES-CBC', () => {
  it('matches RFC 3602 case 1 (AES-128, one block)', () => {
    const ciphertext = encryptCbc(
      'aes128-cbc',
      hex('06a9214036b8a15b512e03d534120006'),
      hex('3dafba429d9eb430b422da802c9fac41'),
      Buffer.from('Single block msg'),
      NO_PADDING,
    );
    expect(ciphertext.toString('hex')).toBe('e353779c1079aeb82708942dbe77181a');
  });

  it('matches RFC 3602 case 2 (AES-128, two blocks) both ways', () => {
    const key = hex('c286696d887c9aa0611bbb3e2025a45a');
    const iv = hex('562e17996d093d28ddb3ba695a2e6f58');
    const plaintext = hex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
    const expected = hex('d296cd94c2cccf8a3a863028b5e1dc0a7586602d253cfff91b8266bea6d61ab1');
    expect(encryptCbc('aes128-cbc', key, iv, plaintext, NO_PADDING)).toEqual(expected);
    expect(decryptCbc('aes128-cbc', key, iv, expected)).toEqual({ ok: true, plaintext });
  });

  it.each(['aes192-cbc', 'aes256-cbc'] as const)('%s round-trips with its key length', (cipher) => {
    const { keyLength, blockSize } = CIPHER_SPECS[cipher];
    const key = Buffer.alloc(keyLength, 7);
    const iv = Buffer.alloc(blockSize, 9);
    const plaintext = Buffer.from('payload chain of 27 bytes..');
    const ciphertext = encryptCbc(cipher, key, iv, plaintext, ZERO_PADDING);
    expect(ciphertext).toHaveLength(32);
    const result = decryptCbc(cipher, key, iv, ciphertext);
    expect(result.ok && result.plaintext.subarray(0, plaintext.length)).toEqual(plaintext);
  });
});

describe('DES-CBC (OpenSSL legacy provider)', () => {
  it('is available in the test workers, which run with --openssl-legacy-provider', () => {
    expect(isCipherAvailable('des-cbc')).toBe(true);
  });

  it('matches the FIPS 81 example and round-trips', () => {
    const key = hex('0123456789abcdef');
    expect(encryptBlocksEcb('des-cbc', key, Buffer.from('Now is t')).toString('hex')).toBe('3fa40e8a984d4815');
    const iv = hex('1234567890abcdef');
    const plaintext = Buffer.from('Now is the time for all ');
    const ciphertext = encryptCbc('des-cbc', key, iv, plaintext, NO_PADDING);
    expect(decryptCbc('des-cbc', key, iv, ciphertext)).toEqual({ ok: true, plaintext });
  });

  it('is reported unavailable, and refused, in a node without the legacy provider', () => {
    const script = `
      import { isCipherAvailable, encryptCbc, CipherUnavailableError } from './src/ike/crypto/cipher.ts';
      let refused = false;
      try { encryptCbc('des-cbc', Buffer.alloc(8), Buffer.alloc(8), Buffer.alloc(8), { kind: 'zeros', minimumLength: 0 }); }
      catch (error) { refused = error instanceof CipherUnavailableError; }
      console.log(JSON.stringify({ des: isCipherAvailable('des-cbc'), tripleDes: isCipherAvailable('3des-cbc'), refused }));
    `;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: repoRoot,
      env: { ...process.env, NODE_OPTIONS: '' },
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout)).toEqual({ des: false, tripleDes: true, refused: true });
  });

  it('CipherUnavailableError names the cipher', () => {
    expect(new CipherUnavailableError('des-cbc').message).toMatch(/des-cbc/);
  });
});

describe('padding policies', () => {
  const aligned = Buffer.alloc(16, 0xaa);
  const unaligned = Buffer.alloc(13, 0xaa);

  it('strongSwan style adds 1..bs zero bytes: a whole block when already aligned', () => {
    expect(padToBlockSize(aligned, 8, ZERO_PADDING)).toEqual(Buffer.concat([aligned, Buffer.alloc(8)]));
    expect(padToBlockSize(unaligned, 8, ZERO_PADDING)).toEqual(Buffer.concat([unaligned, Buffer.alloc(3)]));
  });

  it('libreswan style adds 0..bs-1 zero bytes', () => {
    expect(padToBlockSize(aligned, 8, ZERO_PADDING_OR_NONE)).toEqual(aligned);
    expect(padToBlockSize(unaligned, 16, ZERO_PADDING_OR_NONE)).toEqual(Buffer.concat([unaligned, Buffer.alloc(3)]));
  });

  it('random padding takes its bytes from the given source', () => {
    const source = (length: number): Buffer => Buffer.alloc(length, 0x5c);
    const padded = padToBlockSize(unaligned, 8, { kind: 'random', minimumLength: 1, randomBytes: source });
    expect(padded).toEqual(Buffer.concat([unaligned, Buffer.alloc(3, 0x5c)]));
    expect(padToBlockSize(aligned, 8, { kind: 'random', minimumLength: 1, randomBytes: source })).toHaveLength(24);
  });

  it('decryption returns the plaintext with the sender’s padding still on', () => {
    const key = Buffer.alloc(24, 1);
    const iv = Buffer.alloc(8, 2);
    const ciphertext = encryptCbc('3des-cbc', key, iv, unaligned, ZERO_PADDING);
    expect(decryptCbc('3des-cbc', key, iv, ciphertext)).toEqual({ ok: true, plaintext: Buffer.concat([unaligned, Buffer.alloc(3)]) });
  });
});

describe('malformed input', () => {
  const key = Buffer.alloc(24, 1);
  const iv = Buffer.alloc(8, 2);

  it('decryption refuses ciphertext that is empty or not whole blocks', () => {
    expect(decryptCbc('3des-cbc', key, iv, Buffer.alloc(12))).toEqual({ ok: false, problem: 'not-whole-blocks' });
    expect(decryptCbc('3des-cbc', key, iv, Buffer.alloc(0))).toEqual({ ok: false, problem: 'not-whole-blocks' });
  });

  it('a wrong key or IV length is a programming error', () => {
    expect(() => encryptCbc('3des-cbc', Buffer.alloc(16), iv, Buffer.alloc(8), NO_PADDING)).toThrow(RangeError);
    expect(() => decryptCbc('aes128-cbc', Buffer.alloc(16), iv, Buffer.alloc(16))).toThrow(RangeError);
  });
});

describe('lastCipherBlock', () => {
  it('is the final block of the ciphertext', () => {
    expect(lastCipherBlock(hex('00112233445566778899aabbccddeeff'), 8)).toEqual(hex('8899aabbccddeeff'));
    expect(() => lastCipherBlock(Buffer.alloc(12), 8)).toThrow(RangeError);
  });
});
