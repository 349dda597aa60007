import { readAttributes, writeAttributes } from './attributes.js';
import type { ByteReader } from './reader.js';
import type { AttributePayload } from './types.js';
import type { ByteWriter } from './writer.js';

/**
 * Attribute payload body: cfg type(1) | reserved(1) | identifier(2) | attributes
 * (draft-dukes-ike-mode-cfg-02 §3.2). XAUTH uses the same payload (draft-beaulieu-ike-xauth-02).
 * 1-3 zero bytes after the last attribute are kept as `padding`, not a fault: libreswan pads its
 * payloads to 4 bytes (`ikepad`, on by default; ikev1-notes §5), and padding is never read
 * (docs/fidelity.md §4, "padding we receive").
 */
export function readAttributeBody(reader: ByteReader): AttributePayload {
  const cfgType = reader.u8('cfg type');
  reader.u8('reserved');
  const identifier = reader.u16('identifier');
  const attributes = readAttributes(reader, true);
  const payload: AttributePayload = { type: 'attributes', cfgType, identifier, attributes };
  if (reader.remaining > 0) payload.padding = reader.rest();
  return payload;
}

export function writeAttributeBody(writer: ByteWriter, payload: AttributePayload): void {
  writer.u8(payload.cfgType).u8(0).u16(payload.identifier);
  writeAttributes(writer, payload.attributes);
  if (payload.padding) writer.bytes(payload.padding);
}
