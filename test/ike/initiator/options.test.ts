import { describe, expect, it } from 'vitest';
import { checkInitiatorOptions, identityFromText, parsePreSharedKey, resolveInitiatorOptions } from '../../../src/initiator/index.js';
import { seedClientOptions } from '../../initiator/support/fixtures.js';

describe('initiator options', () => {
  it('reads a pre-shared key as text, or as hex after 0x as the RTX writes binary keys', () => {
    expect(parsePreSharedKey('PSKEY1')).toEqual(Buffer.from('PSKEY1'));
    expect(parsePreSharedKey('0x00ff10')).toEqual(Buffer.from([0x00, 0xff, 0x10]));
    expect(parsePreSharedKey('0xabc')).toEqual(Buffer.from('0xabc')); // odd digit count: text
  });

  it('makes an identity of every ID type the CLI offers', () => {
    expect(identityFromText('myid', 'fqdn')).toEqual({ kind: 'fqdn', name: 'myid' });
    expect(identityFromText('user@example.jp', 'user-fqdn')).toEqual({ kind: 'user-fqdn', name: 'user@example.jp' });
    expect(identityFromText('myid', 'key-id')).toEqual({ kind: 'key-id', keyId: Buffer.from('myid') });
    expect(identityFromText('192.0.2.1', 'ipv4')).toEqual({ kind: 'ipv4-address', address: '192.0.2.1' });
  });

  it('lists every problem at once', () => {
    const problems = checkInitiatorOptions(
      seedClientOptions({ preSharedKey: Buffer.alloc(0), proposals: [], nonceLength: 4, identity: { kind: 'ipv4-address', address: 'myid' } }),
    );
    expect(problems).toHaveLength(4);
    expect(checkInitiatorOptions(seedClientOptions())).toEqual([]);
  });

  it('fills in strongSwan-like defaults', () => {
    const resolved = resolveInitiatorOptions(seedClientOptions());
    expect(resolved.proposalEncoding).toEqual({ firstNumber: 1, keyLengthFirst: false, lifeDuration: 'shortest' });
    expect(resolved.nonceLength).toBe(32);
    expect(resolved.message3).toMatchObject({ encrypt: false, initialContact: false, includeNatD: true, natDAddresses: 'message-3-datagram' });
  });
});
