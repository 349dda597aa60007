import { describe, expect, it } from 'vitest';
import {
  decodePayloadChain,
  encodePayloadBody,
  encodePayloads,
  formatIdentity,
  idPayload,
  identityData,
  natOaPayload,
  readIdentity,
  type Identity,
} from '../../../src/ike/codec/index.js';
import { IdType, PayloadType } from '../../../src/ike/constants.js';
import { decodeChain, expectError, hex, withoutReceivedBytes } from './fixtures.js';

describe('ID payload (RFC 2407 §4.6.2)', () => {
  it('encodes strongSwan\'s phase 1 IDs byte for byte (ikev1-notes.md §4b IDii_b, IDir_b)', () => {
    expect(encodePayloadBody(idPayload({ kind: 'key-id', keyId: Buffer.from('vpngroup') }))).toEqual(hex('0b000000 76706e67726f7570'));
    expect(encodePayloadBody(idPayload({ kind: 'ipv4-address', address: '10.99.0.1' }))).toEqual(hex('01000000 0a630001'));
  });

  it('keeps protocol and port (vpnc sends its KEY_ID with UDP/500)', () => {
    const [id] = decodeChain(PayloadType.ID, hex('0000 000c 0b 11 01f4 6d796964')).payloads;
    expect(id).toMatchObject({ type: 'id', idType: IdType.KEY_ID, protocolId: 17, port: 500, data: Buffer.from('myid') });
    expect(id?.body).toEqual(hex('0b1101f4 6d796964'));
  });

  it('accepts an ID of its 4 fixed bytes only, and reports a shorter one as malformed', () => {
    expect(decodeChain(PayloadType.ID, hex('0000 0008 0b110100')).payloads[0]).toMatchObject({ data: Buffer.alloc(0) });
    const error = expectError(decodePayloadChain(PayloadType.ID, hex('0000 0007 0b1101')));
    expect(error).toMatchObject({ kind: 'malformed-payload', payloadType: PayloadType.ID, offset: 6 });
  });

  const identities: [Identity, string, string][] = [
    [{ kind: 'ipv4-address', address: '192.0.2.254' }, 'c00002fe', '192.0.2.254'],
    [{ kind: 'ipv4-subnet', address: '10.0.0.0', netmask: '255.255.255.0' }, '0a000000 ffffff00', '10.0.0.0/255.255.255.0'],
    [{ kind: 'ipv4-range', first: '10.0.0.1', last: '10.0.0.9' }, '0a000001 0a000009', '10.0.0.1-10.0.0.9'],
    [{ kind: 'ipv6-address', address: '2001:db8::1' }, '20010db8000000000000000000000001', '2001:db8::1'],
    [
      { kind: 'ipv6-subnet', address: '2001:db8::', netmask: 'ffff:ffff:ffff:ffff::' },
      '20010db8000000000000000000000000 ffffffffffffffff0000000000000000',
      '2001:db8::/ffff:ffff:ffff:ffff::',
    ],
    [
      { kind: 'ipv6-range', first: '::1', last: '::ffff:c000:201' },
      '00000000000000000000000000000001 00000000000000000000ffffc0000201',
      '::1-::ffff:c000:201',
    ],
    [{ kind: 'fqdn', name: 'vpn.example.jp' }, Buffer.from('vpn.example.jp').toString('hex'), 'vpn.example.jp'],
    [{ kind: 'user-fqdn', name: 'user1@example.jp' }, Buffer.from('user1@example.jp').toString('hex'), 'user1@example.jp'],
    [{ kind: 'key-id', keyId: Buffer.from('myid') }, '6d796964', 'keyid:myid'],
    [{ kind: 'key-id', keyId: hex('00ff') }, '00ff', 'keyid:0x00ff'],
    [{ kind: 'der-asn1-dn', der: hex('3000') }, '3000', 'der-asn1-dn:3000'],
    [{ kind: 'der-asn1-gn', der: hex('3001') }, '3001', 'der-asn1-gn:3001'],
    [{ kind: 'other', idType: 200, data: hex('abcd') }, 'abcd', '200:abcd'],
  ];

  it.each(identities)('carries %j as data %s and reads it back', (identity, dataHex, text) => {
    const { idType, data } = identityData(identity);
    expect(data).toEqual(hex(dataHex));
    const [decoded] = decodeChain(PayloadType.ID, encodePayloads([idPayload(identity)])).payloads;
    expect(decoded?.type === 'id' && decoded.idType).toBe(idType);
    const view = decoded?.type === 'id' ? readIdentity(decoded.idType, decoded.data) : undefined;
    expect(view).toEqual({ ok: true, value: identity });
    expect(formatIdentity(identity)).toBe(text);
  });

  it.each([
    [IdType.IPV4_ADDR, 5],
    [IdType.IPV4_ADDR_SUBNET, 4],
    [IdType.IPV6_ADDR, 4],
    [IdType.IPV6_ADDR_RANGE, 16],
  ])('refuses to view ID type %i with %i data bytes', (idType, size) => {
    const view = readIdentity(idType, Buffer.alloc(size));
    expect(view.ok).toBe(false);
  });

  it('refuses to build an identity from malformed address text', () => {
    expect(() => identityData({ kind: 'ipv4-address', address: '10.0.0.256' })).toThrow(RangeError);
    expect(() => identityData({ kind: 'ipv6-address', address: '2001:db8:::1' })).toThrow(RangeError);
  });
});

describe('NAT-OA payload (RFC 3947 §5.2)', () => {
  it('writes ID type, 3 reserved bytes and the address, with payload type 21 or 131', () => {
    expect(encodePayloads([natOaPayload({ kind: 'ipv4-address', address: '192.168.0.2' })])).toEqual(hex('00 00 000c 01 000000 c0a80002'));
    const draft = natOaPayload({ kind: 'ipv6-address', address: '::2' }, { draft: true });
    expect(draft.payloadType).toBe(PayloadType.NAT_OA_DRAFT);
    const [decoded] = decodeChain(PayloadType.NAT_OA_DRAFT, encodePayloads([draft])).payloads;
    expect(withoutReceivedBytes(decoded!)).toEqual(draft);
  });
});
