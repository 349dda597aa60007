import { isIPv6 } from 'node:net';
import type { EspSa } from './sa.js';
import { formatSpi } from './sa.js';

/**
 * One record of Wireshark's `esp_sa` table for one direction of an SA (ikev1-notes §6): eight
 * quoted fields, protocol, source, destination ("*" matches any), SPI, encryption name, key,
 * authentication name, key. The same format strongSwan's save-keys plugin writes; usable as
 * `tshark -o 'uat:esp_sa:<record>'` or as a line of `~/.config/wireshark/esp_sa`.
 * The addresses are the outer ones the ESP packets travel between (after NAT, for ESP in UDP).
 */
export function formatEspSaRecord(source: string, destination: string, sa: EspSa): string {
  const protocol = isIPv6(source) || isIPv6(destination) ? 'IPv6' : 'IPv4';
  const key = (bytes: Buffer): string => (bytes.length === 0 ? '' : `0x${bytes.toString('hex')}`);
  const fields = [
    protocol,
    source,
    destination,
    `0x${formatSpi(sa.spi)}`,
    sa.encryptionSpec.tsharkName,
    key(sa.encryptionKey),
    sa.integritySpec.tsharkName,
    key(sa.integrityKey),
  ];
  return fields.map((field) => `"${field}"`).join(',');
}
