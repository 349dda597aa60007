import { describe, expect, it } from 'vitest';
import { ipsecGateway } from '../../../src/config/views/ipsec-gateways.js';
import { negotiationKey, parsePskAssignment, secretBytes } from '../../../src/config/views/pre-shared-key.js';
import { read } from '../support.js';

describe('the key a gateway negotiates with', () => {
  it('a text key is its bytes; a hex key its decoded bytes', () => {
    expect(secretBytes({ kind: 'text', text: 'PSKEY1' })).toEqual(new TextEncoder().encode('PSKEY1'));
    expect(secretBytes({ kind: 'hex', bytes: new Uint8Array([0xcd, 0xee]) })).toEqual(new Uint8Array([0xcd, 0xee]));
  });

  it('a masked key (`*` from a capture) refuses negotiation with a log line saying how to supply it', () => {
    const gateway = ipsecGateway(read('ipsec ike pre-shared-key 1 *').model, 1)!;
    const key = negotiationKey(gateway);
    expect(key).toEqual({
      ok: false,
      reason: 'masked',
      logLine: '[IKE] gateway 1: pre-shared key is masked (*) in the config; supply it with --psk 1=KEY',
    });
  });

  it('a supplied secret fills in the masked key', () => {
    const gateway = ipsecGateway(read('ipsec ike pre-shared-key 1 *').model, 1)!;
    const supplied = new Map([[1, parsePskAssignment('1=PSKEY1')!.key]]);
    expect(negotiationKey(gateway, supplied)).toEqual({ ok: true, secret: new TextEncoder().encode('PSKEY1') });
  });

  it('no key configured: no key exchange (§15.5)', () => {
    expect(negotiationKey(ipsecGateway(read('ipsec ike pfs 1 on').model, 1)!)).toEqual({ ok: false, reason: 'not-configured' });
  });

  it('parses --psk N=KEY and N=0x...', () => {
    expect(parsePskAssignment('2=a=b c')).toEqual({ gatewayId: 2, key: { kind: 'text', text: 'a=b c' } });
    expect(parsePskAssignment('3=0xCD01')).toEqual({ gatewayId: 3, key: { kind: 'hex', bytes: new Uint8Array([0xcd, 0x01]) } });
    expect(parsePskAssignment('x=1')).toBeUndefined();
  });
});
