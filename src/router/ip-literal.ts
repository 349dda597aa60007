import { isIPv4, isIPv6 } from 'node:net';
import { formatIpv4, parseIpv4, parseIpv6 } from '../ike/codec/address.js';

/** An IP address as the bytes that go into a header, with the family that says how many. */
export type IpLiteral = { readonly family: 4; readonly bytes: Buffer } | { readonly family: 6; readonly bytes: Buffer };

/** RFC 4291 §2.5.5.2: `::ffff:a.b.c.d`, how a dual-stack socket shows an IPv4 peer. */
const V4_MAPPED_PREFIX = Buffer.from('00000000000000000000ffff', 'hex');

/**
 * Parses an IPv4 or IPv6 literal as node reports addresses (a zone such as `%eth0` is dropped:
 * it names an interface, not address bits). Anything else (host names, `''`): undefined.
 */
export function parseIpLiteral(text: string): IpLiteral | undefined {
  if (isIPv4(text)) return { family: 4, bytes: parseIpv4(text) };
  const withoutZone = text.split('%')[0] ?? '';
  if (isIPv6(withoutZone)) return { family: 6, bytes: parseIpv6(withoutZone) };
  return undefined;
}

/** The IPv4 address inside a v4-mapped IPv6 address, or undefined for any other address. */
export function unmapIpv4(address: IpLiteral): IpLiteral | undefined {
  if (address.family === 4) return address;
  if (!address.bytes.subarray(0, 12).equals(V4_MAPPED_PREFIX)) return undefined;
  return { family: 4, bytes: Buffer.from(address.bytes.subarray(12)) };
}

/** The v4-mapped IPv6 form of an IPv4 address (IPv6 addresses are returned as they are). */
export function mapToIpv6(address: IpLiteral): IpLiteral {
  if (address.family === 6) return address;
  return { family: 6, bytes: Buffer.concat([V4_MAPPED_PREFIX, address.bytes]) };
}

/**
 * One spelling per address, for comparing addresses from different sources: IPv4 dotted quad
 * (v4-mapped IPv6 included), IPv6 as 32 lower-case hex digits. Undefined for non-literals.
 */
export function canonicalAddress(text: string): string | undefined {
  const parsed = parseIpLiteral(text);
  if (parsed === undefined) return undefined;
  const v4 = unmapIpv4(parsed);
  return v4 !== undefined ? formatIpv4(v4.bytes) : parsed.bytes.toString('hex');
}
