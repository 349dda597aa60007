/**
 * RFC 3948 framing on the NAT-T port (UDP 4500): one port carries IKE, ESP and NAT keepalives,
 * told apart by their first bytes.
 */

/** RFC 3948 §2.2: four zero bytes (where an ESP SPI would be; SPI 0 is reserved) mark IKE. */
export const NON_ESP_MARKER = Buffer.alloc(4);

/** RFC 3948 §2.3: a NAT keepalive is a single 0xFF byte. */
const KEEPALIVE_BYTE = 0xff;

/** RFC 4303 §2: an ESP packet has at least its SPI and sequence number. */
const MIN_ESP_BYTES = 8;

export type NattDatagram =
  /** IKE, with the non-ESP marker removed. */
  | { readonly kind: 'ike'; readonly bytes: Buffer }
  | { readonly kind: 'keepalive' }
  | { readonly kind: 'esp'; readonly bytes: Buffer }
  /** Too short to be ESP and neither IKE nor a keepalive. */
  | { readonly kind: 'malformed'; readonly bytes: Buffer };

export function classifyNattDatagram(datagram: Buffer): NattDatagram {
  if (datagram.length === 1 && datagram[0] === KEEPALIVE_BYTE) return { kind: 'keepalive' };
  if (datagram.length >= NON_ESP_MARKER.length && datagram.subarray(0, NON_ESP_MARKER.length).equals(NON_ESP_MARKER)) {
    return { kind: 'ike', bytes: datagram.subarray(NON_ESP_MARKER.length) };
  }
  if (datagram.length >= MIN_ESP_BYTES) return { kind: 'esp', bytes: datagram };
  return { kind: 'malformed', bytes: datagram };
}

/** An IKE message as sent on the NAT-T port: the non-ESP marker, then the message. */
export function frameIkeForNatt(ikeMessage: Buffer): Buffer {
  return Buffer.concat([NON_ESP_MARKER, ikeMessage]);
}
