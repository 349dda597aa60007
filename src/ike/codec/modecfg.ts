import { readAttributes, writeAttributes } from './attributes.js';
import type { ByteReader } from './reader.js';
import type { AttributePayload } from './types.js';
import type { ByteWriter } from './writer.js';

/**
 * Attribute payload body: cfg type(1) | reserved(1) | identifier(2) | attributes
 * (draft-dukes-ike-mode-cfg-02 §3.2). XAUTH uses the same payload (draft-beaulieu-ike-xauth-02).
 */
export function readAttributeBody(reader: ByteReader): AttributePayload {
  const cfgType = reader.u8('cfg type');
  reader.u8('reserved');
  const identifier = reader.u16('identifier');
  return { type: 'attributes', cfgType, identifier, attributes: readAttributes(reader) };
}

export function writeAttributeBody(writer: ByteWriter, payload: AttributePayload): void {
  writer.u8(payload.cfgType).u8(0).u16(payload.identifier);
  writeAttributes(writer, payload.attributes);
}
