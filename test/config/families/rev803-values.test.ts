/**
 * Values later than Rev.8.03 (issue 11 §5) get the warning newer commands get, saying how we know,
 * and are not applied unless the reader accepts newer values.
 */
import { describe, expect, it } from 'vitest';
import { consoleSettings } from '../../../src/config/views/console.js';
import { ipsecGateway } from '../../../src/config/views/ipsec-gateways.js';
import { readConfig } from '../../../src/config/read-config.js';
import { lines } from '../support.js';

describe('values RTX1500 Rev.8.03 did not have', () => {
  it.each([
    ['ipsec ike encryption 1 aes256-cbc', /aes256-cbc came with Rev\.9\.00\.50 .*INFERRED/],
    ['ipsec ike hash 1 sha256', /sha256 came with Rev\.9\.00\.50 .*INFERRED/],
    ['ipsec ike hash 1 sha512', /INFERRED/],
    ['ipsec ike group 1 modp2048', /modp2048: no Rev\.8\.03 source lists it.*NOT FOUND/],
    ['ipsec ike group 1 modp1024 modp1536', /modp1536: .*NOT FOUND/],
    ['ipsec sa policy 101 1 esp aes256-cbc sha-hmac', /aes256-cbc came with Rev\.9\.00\.50/],
    ['ipsec sa policy 101 1 esp aes-cbc sha256-hmac', /sha256-hmac came with Rev\.9\.00\.50/],
    ['console character ja.utf8', /came with Rev\.14\.01.*VERIFIED/],
  ])('%s: warned, not applied', (line, reason) => {
    const result = readConfig(lines(line));
    expect(result.problems).toEqual([]);
    const name = line.startsWith('console') ? 'console character' : line.split(' ').slice(0, 3).join(' ');
    expect(result.warnings).toEqual([{ line: 1, text: line, name, reason: expect.stringMatching(reason) }]);
    expect(result.model.size).toBe(0);
  });

  it('keeps the Rev.8.03 values (3des-cbc, aes-cbc, des-cbc, md5, sha, modp768, modp1024, sha-hmac)', () => {
    const result = readConfig(
      lines('ipsec ike encryption 1 aes-cbc', 'ipsec ike hash 1 md5', 'ipsec ike group 1 modp768 modp1024', 'ipsec sa policy 101 1 esp des-cbc sha-hmac'),
    );
    expect([result.warnings, result.model.size]).toEqual([[], 4]);
  });

  it('applies them when newer values are accepted', () => {
    const text = lines('ipsec ike encryption 1 aes256-cbc', 'ipsec ike group 1 modp2048', 'ipsec ike hash 1 sha256', 'console character ja.utf8');
    const result = readConfig(text, { acceptNewerValues: true });
    expect(result.warnings).toEqual([]);
    expect(ipsecGateway(result.model, 1)).toMatchObject({ encryption: 'aes256-cbc', hash: 'sha256', group: { phase1: 'modp2048' } });
    // The console view speaks the Rev.8.03 names: ja.utf8 is Japanese, shown as sjis (assumed).
    expect(consoleSettings(result.model)).toMatchObject({ character: 'sjis', language: 'ja' });
  });

  it('never applies a command Rev.8.03 lacks, even with newer values accepted', () => {
    const result = readConfig(lines('ipsec ike version 1 2'), { acceptNewerValues: true });
    expect([result.warnings.length, result.model.size]).toEqual([1, 0]);
  });
});
