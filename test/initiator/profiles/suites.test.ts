import { describe, expect, it } from 'vitest';
import { parseDhGroup, parseEspSuite, parseIkeSuite } from '../../../src/initiator/profiles/index.js';

describe('algorithm suites on the command line', () => {
  it('reads ENC-HASH-GROUP with the RTX and strongSwan spellings', () => {
    expect(parseIkeSuite('3des-sha1-modp1024')).toEqual({ ok: true, suite: { encryption: '3des-cbc', hash: 'sha1', group: 2 } });
    expect(parseIkeSuite('AES-sha-modp768')).toEqual({ ok: true, suite: { encryption: 'aes128-cbc', hash: 'sha1', group: 1 } });
    expect(parseIkeSuite('aes256-sha256-modp2048')).toEqual({ ok: true, suite: { encryption: 'aes256-cbc', hash: 'sha256', group: 14 } });
  });

  it('refuses unknown parts and extra ones, naming what it takes', () => {
    for (const text of ['3des-sha1', 'blowfish-sha1-modp1024', '3des-sha1-modp1024-x', '3des-sha512-modp1024']) {
      const parsed = parseIkeSuite(text);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.text).toContain('ENC-HASH-GROUP');
    }
  });

  it('reads ENC-INTEGRITY for ESP', () => {
    expect(parseEspSuite('3des-sha1')).toEqual({ ok: true, suite: { encryption: '3des-cbc', integrity: 'hmac-sha1-96' } });
    expect(parseEspSuite('des-md5')).toEqual({ ok: true, suite: { encryption: 'des-cbc', integrity: 'hmac-md5-96' } });
    expect(parseEspSuite('3des-sha256').ok).toBe(false);
  });

  it('reads a DH group by name or number', () => {
    expect(parseDhGroup('modp1024')).toBe(2);
    expect(parseDhGroup('5')).toBe(5);
    expect(parseDhGroup('3')).toBeUndefined();
    expect(parseDhGroup('ecp256')).toBeUndefined();
  });
});
