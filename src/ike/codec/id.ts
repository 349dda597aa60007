import { IdType, idTypeName } from '../constants.js';
import { formatIpv4, formatIpv6, parseIpv4, parseIpv6 } from './address.js';
import type { Result } from './errors.js';
import type { ByteReader } from './reader.js';
import type { IdPayload, NatOaPayload } from './types.js';
import type { ByteWriter } from './writer.js';

/** ID body: ID type(1) | protocol(1) | port(2) | data (RFC 2407 §4.6.2); this is what ID_b hashes. */
export function readIdBody(reader: ByteReader): IdPayload {
  const idType = reader.u8('ID type');
  const protocolId = reader.u8('protocol id');
  const port = reader.u16('port');
  return { type: 'id', idType, protocolId, port, data: reader.rest() };
}

export function writeIdBody(writer: ByteWriter, id: IdPayload): void {
  writer.u8(id.idType).u8(id.protocolId).u16(id.port).bytes(id.data);
}

/** NAT-OA body: ID type(1) | reserved(3) | address (RFC 3947 §5.2). */
export function readNatOaBody(reader: ByteReader, payloadType: NatOaPayload['payloadType']): NatOaPayload {
  const idType = reader.u8('NAT-OA ID type');
  reader.take(3, 'NAT-OA reserved');
  return { type: 'nat-oa', payloadType, idType, address: reader.rest() };
}

export function writeNatOaBody(writer: ByteWriter, natOa: NatOaPayload): void {
  writer.u8(natOa.idType).u8(0).u16(0).bytes(natOa.address);
}

/** A typed view of an identity (ID payload data, NAT-OA address), addresses as text. */
export type Identity =
  | { kind: 'ipv4-address'; address: string }
  | { kind: 'ipv4-subnet'; address: string; netmask: string }
  | { kind: 'ipv4-range'; first: string; last: string }
  | { kind: 'ipv6-address'; address: string }
  | { kind: 'ipv6-subnet'; address: string; netmask: string }
  | { kind: 'ipv6-range'; first: string; last: string }
  | { kind: 'fqdn'; name: string }
  | { kind: 'user-fqdn'; name: string }
  | { kind: 'key-id'; keyId: Buffer } // opaque bytes; RTX and strongSwan use a group name
  | { kind: 'der-asn1-dn'; der: Buffer }
  | { kind: 'der-asn1-gn'; der: Buffer }
  | { kind: 'other'; idType: number; data: Buffer };

const ADDRESS_KINDS = {
  [IdType.IPV4_ADDR]: { size: 4, count: 1 },
  [IdType.IPV4_ADDR_SUBNET]: { size: 4, count: 2 },
  [IdType.IPV4_ADDR_RANGE]: { size: 4, count: 2 },
  [IdType.IPV6_ADDR]: { size: 16, count: 1 },
  [IdType.IPV6_ADDR_SUBNET]: { size: 16, count: 2 },
  [IdType.IPV6_ADDR_RANGE]: { size: 16, count: 2 },
} as Record<number, { size: number; count: number } | undefined>;

/**
 * Reads `data` as an identity of type `idType`. Address types must have exactly their size
 * (RFC 2407 §4.6.2.x), so a wrong length is reported rather than guessed at; unknown types
 * come back as `other`.
 */
export function readIdentity(idType: number, data: Buffer): Result<Identity, string> {
  const shape = ADDRESS_KINDS[idType];
  if (shape && data.length !== shape.size * shape.count) {
    return { ok: false, error: `${idTypeName(idType)} needs ${shape.size * shape.count} bytes, got ${data.length}` };
  }
  const ipv4 = (index: number): string => formatIpv4(data.subarray(index * 4, index * 4 + 4));
  const ipv6 = (index: number): string => formatIpv6(data.subarray(index * 16, index * 16 + 16));
  const identity = ((): Identity => {
    switch (idType) {
      case IdType.IPV4_ADDR:
        return { kind: 'ipv4-address', address: ipv4(0) };
      case IdType.IPV4_ADDR_SUBNET:
        return { kind: 'ipv4-subnet', address: ipv4(0), netmask: ipv4(1) };
      case IdType.IPV4_ADDR_RANGE:
        return { kind: 'ipv4-range', first: ipv4(0), last: ipv4(1) };
      case IdType.IPV6_ADDR:
        return { kind: 'ipv6-address', address: ipv6(0) };
      case IdType.IPV6_ADDR_SUBNET:
        return { kind: 'ipv6-subnet', address: ipv6(0), netmask: ipv6(1) };
      case IdType.IPV6_ADDR_RANGE:
        return { kind: 'ipv6-range', first: ipv6(0), last: ipv6(1) };
      case IdType.FQDN:
        return { kind: 'fqdn', name: data.toString('utf8') };
      case IdType.USER_FQDN:
        return { kind: 'user-fqdn', name: data.toString('utf8') };
      case IdType.KEY_ID:
        return { kind: 'key-id', keyId: data };
      case IdType.DER_ASN1_DN:
        return { kind: 'der-asn1-dn', der: data };
      case IdType.DER_ASN1_GN:
        return { kind: 'der-asn1-gn', der: data };
      default:
        return { kind: 'other', idType, data };
    }
  })();
  return { ok: true, value: identity };
}

/** The ID type and data bytes that carry `identity`; throws RangeError on malformed address text. */
export function identityData(identity: Identity): { idType: number; data: Buffer } {
  switch (identity.kind) {
    case 'ipv4-address':
      return { idType: IdType.IPV4_ADDR, data: parseIpv4(identity.address) };
    case 'ipv4-subnet':
      return { idType: IdType.IPV4_ADDR_SUBNET, data: Buffer.concat([parseIpv4(identity.address), parseIpv4(identity.netmask)]) };
    case 'ipv4-range':
      return { idType: IdType.IPV4_ADDR_RANGE, data: Buffer.concat([parseIpv4(identity.first), parseIpv4(identity.last)]) };
    case 'ipv6-address':
      return { idType: IdType.IPV6_ADDR, data: parseIpv6(identity.address) };
    case 'ipv6-subnet':
      return { idType: IdType.IPV6_ADDR_SUBNET, data: Buffer.concat([parseIpv6(identity.address), parseIpv6(identity.netmask)]) };
    case 'ipv6-range':
      return { idType: IdType.IPV6_ADDR_RANGE, data: Buffer.concat([parseIpv6(identity.first), parseIpv6(identity.last)]) };
    case 'fqdn':
      return { idType: IdType.FQDN, data: Buffer.from(identity.name, 'utf8') };
    case 'user-fqdn':
      return { idType: IdType.USER_FQDN, data: Buffer.from(identity.name, 'utf8') };
    case 'key-id':
      return { idType: IdType.KEY_ID, data: identity.keyId };
    case 'der-asn1-dn':
      return { idType: IdType.DER_ASN1_DN, data: identity.der };
    case 'der-asn1-gn':
      return { idType: IdType.DER_ASN1_GN, data: identity.der };
    case 'other':
      return { idType: identity.idType, data: identity.data };
  }
}

/** One-line text of an identity for logs, e.g. `10.0.0.0/255.255.255.0`, `keyid:vpngroup`. */
export function formatIdentity(identity: Identity): string {
  switch (identity.kind) {
    case 'ipv4-address':
    case 'ipv6-address':
      return identity.address;
    case 'ipv4-subnet':
    case 'ipv6-subnet':
      return `${identity.address}/${identity.netmask}`;
    case 'ipv4-range':
    case 'ipv6-range':
      return `${identity.first}-${identity.last}`;
    case 'fqdn':
    case 'user-fqdn':
      return identity.name;
    case 'key-id':
      return `keyid:${printable(identity.keyId)}`;
    case 'der-asn1-dn':
    case 'der-asn1-gn':
      return `${identity.kind}:${identity.der.toString('hex')}`;
    case 'other':
      return `${idTypeName(identity.idType)}:${identity.data.toString('hex')}`;
  }
}

/** Key IDs are bytes; show them as text when they are printable ASCII, else as hex. */
function printable(bytes: Buffer): string {
  return bytes.every((byte) => byte >= 0x20 && byte < 0x7f) ? bytes.toString('latin1') : `0x${bytes.toString('hex')}`;
}
