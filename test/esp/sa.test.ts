import { describe, expect, it } from 'vitest';
import { ESP_ENCRYPTION_SPECS, ESP_INTEGRITY_SPECS, createEspSa, formatSpi } from '../../src/esp/index.js';
import { patternBytes, spiBytes } from './support/test-sas.js';

const keys = (spi: number, encryptionKeyLength: number, integrityKeyLength: number) => ({
  spi: spiBytes(spi),
  encryptionKey: patternBytes(encryptionKeyLength, 1),
  integrityKey: patternBytes(integrityKeyLength, 2),
});

describe('createEspSa', () => {
  it('takes the SPI as a number and the algorithms’ sizes from the specs', () => {
    const sa = createEspSa({ encryption: '3des-cbc', integrity: 'hmac-sha1-96' }, keys(0xd5866ebf, 24, 20));
    expect(sa.spi).toBe(0xd5866ebf);
    expect(sa.encryptionSpec).toMatchObject({ ivLength: 8, alignment: 8, keyLength: 24 });
    expect(sa.integritySpec).toMatchObject({ icvLength: 12, keyLength: 20 });
  });

  it('knows the RFC sizes of every algorithm', () => {
    const sizes = Object.fromEntries(Object.values(ESP_ENCRYPTION_SPECS).map((spec) => [spec.id, [spec.keyLength, spec.ivLength, spec.alignment]]));
    expect(sizes).toEqual({
      'des-cbc': [8, 8, 8],
      '3des-cbc': [24, 8, 8],
      'aes128-cbc': [16, 16, 16],
      'aes192-cbc': [24, 16, 16],
      'aes256-cbc': [32, 16, 16],
      null: [0, 0, 4],
    });
    const icvs = Object.fromEntries(Object.values(ESP_INTEGRITY_SPECS).map((spec) => [spec.id, [spec.keyLength, spec.icvLength]]));
    expect(icvs).toEqual({ 'hmac-md5-96': [16, 12], 'hmac-sha1-96': [20, 12], 'hmac-sha256-128': [32, 16], none: [0, 0] });
  });

  it('copies the keys, so later changes to the caller’s buffers do not reach the SA', () => {
    const given = keys(0x1000, 16, 20);
    const sa = createEspSa({ encryption: 'aes128-cbc', integrity: 'hmac-sha1-96' }, given);
    given.encryptionKey.fill(0);
    expect(sa.encryptionKey).toEqual(patternBytes(16, 1));
  });

  it('refuses what no negotiation produces', () => {
    const aesSha1 = { encryption: 'aes128-cbc', integrity: 'hmac-sha1-96' } as const;
    expect(() => createEspSa(aesSha1, keys(0x1000, 24, 20))).toThrow(/16-byte key/);
    expect(() => createEspSa(aesSha1, keys(0x1000, 16, 16))).toThrow(/20-byte key/);
    expect(() => createEspSa(aesSha1, { ...keys(0x1000, 16, 20), spi: Buffer.alloc(2) })).toThrow(/4 bytes/);
    expect(() => createEspSa(aesSha1, keys(255, 16, 20))).toThrow(/reserved/);
    expect(() => createEspSa({ encryption: 'null', integrity: 'none' }, keys(0x1000, 0, 0))).toThrow(/neither/);
  });

  it('accepts single DES when the process has the legacy provider (vitest runs with it)', () => {
    expect(createEspSa({ encryption: 'des-cbc', integrity: 'hmac-md5-96' }, keys(0x1000, 8, 16)).encryption).toBe('des-cbc');
  });
});

describe('formatSpi', () => {
  it('is 8 lower-case hex digits', () => {
    expect(formatSpi(0xd5866ebf)).toBe('d5866ebf');
    expect(formatSpi(0x1000)).toBe('00001000');
  });
});
