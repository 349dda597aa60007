import { formatIpv4, parseIpv4 } from './address.js';
import type { ByteReader } from './reader.js';
import type { DataAttribute } from './types.js';
import type { ByteWriter } from './writer.js';

/** Attribute Format bit (RFC 2408 §3.3): set = TV, clear = TLV. */
const AF_BIT = 0x8000;
const MAX_ATTRIBUTE_TYPE = 0x7fff;
const MAX_U16 = 0xffff;

/** The smallest attribute: a TV, or a TLV header with an empty value (RFC 2408 §3.3). */
const ATTRIBUTE_HEADER_BYTES = 4;

/**
 * Reads attributes until the reader is exhausted; an attribute cut short is a fault. With
 * `stopBeforePadding`, 1-3 zero bytes at the end (too few for an attribute header; type 0 is
 * reserved) are left unread for the caller to keep as padding instead of being a fault; non-zero
 * ones are still a header cut short.
 */
export function readAttributes(reader: ByteReader, stopBeforePadding = false): DataAttribute[] {
  const attributes: DataAttribute[] = [];
  while (reader.remaining > 0) {
    if (stopBeforePadding && reader.remaining < ATTRIBUTE_HEADER_BYTES && reader.restIsZero()) break;
    const start = reader.offset;
    reader.budget.attribute(start);
    const typeField = reader.u16('attribute type');
    const type = typeField & MAX_ATTRIBUTE_TYPE;
    if (typeField & AF_BIT) {
      attributes.push({ format: 'tv', type, value: reader.u16(`TV attribute ${type} value`) });
      continue;
    }
    const length = reader.u16(`TLV attribute ${type} length`);
    if (length > reader.remaining) {
      reader.fail(`TLV attribute ${type} at offset ${start} declares ${length} value bytes, only ${reader.remaining} left`);
    }
    attributes.push({ format: 'tlv', type, value: reader.take(length, `TLV attribute ${type} value`) });
  }
  return attributes;
}

export function writeAttributes(writer: ByteWriter, attributes: readonly DataAttribute[]): void {
  for (const attribute of attributes) {
    if (attribute.type > MAX_ATTRIBUTE_TYPE) throw new RangeError(`attribute type ${attribute.type} exceeds 15 bits`);
    if (attribute.format === 'tv') {
      writer.u16(AF_BIT | attribute.type).u16(attribute.value);
    } else {
      if (attribute.value.length > MAX_U16) throw new RangeError(`attribute ${attribute.type}: value of ${attribute.value.length} bytes`);
      writer.u16(attribute.type).u16(attribute.value.length).bytes(attribute.value);
    }
  }
}

// --- building ---------------------------------------------------------------------------------

export function tvAttribute(type: number, value: number): DataAttribute {
  if (!Number.isInteger(value) || value < 0 || value > MAX_U16) throw new RangeError(`TV value ${value} is not 16-bit`);
  return { format: 'tv', type, value };
}

export function tlvAttribute(type: number, value: Buffer): DataAttribute {
  return { format: 'tlv', type, value };
}

/** An integer in the shortest usual form: TV up to 0xffff, else a 4-byte TLV (as vpnc sends lifetimes). */
export function numberAttribute(type: number, value: number): DataAttribute {
  if (value <= MAX_U16) return tvAttribute(type, value);
  if (!Number.isInteger(value) || value > 0xffffffff) throw new RangeError(`attribute value ${value} is not a 32-bit integer`);
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value);
  return tlvAttribute(type, bytes);
}

/** A zero-length TLV: how a mode-cfg REQUEST asks for a value and an ACK acknowledges one. */
export function emptyAttribute(type: number): DataAttribute {
  return tlvAttribute(type, Buffer.alloc(0));
}

export function textAttribute(type: number, text: string): DataAttribute {
  return tlvAttribute(type, Buffer.from(text, 'utf8'));
}

export function ipv4Attribute(type: number, address: string): DataAttribute {
  return tlvAttribute(type, parseIpv4(address));
}

// --- reading ----------------------------------------------------------------------------------

export function findAttribute(attributes: readonly DataAttribute[], type: number): DataAttribute | undefined {
  return attributes.find((attribute) => attribute.type === type);
}

/** The integer an attribute holds: TV value, or a TLV of 1..6 bytes read big-endian. */
export function attributeNumber(attribute: DataAttribute): number | undefined {
  if (attribute.format === 'tv') return attribute.value;
  const { value } = attribute;
  return value.length >= 1 && value.length <= 6 ? value.readUIntBE(0, value.length) : undefined;
}

export function attributeText(attribute: DataAttribute): string | undefined {
  return attribute.format === 'tlv' ? attribute.value.toString('utf8') : undefined;
}

export function attributeIpv4(attribute: DataAttribute): string | undefined {
  return attribute.format === 'tlv' && attribute.value.length === 4 ? formatIpv4(attribute.value) : undefined;
}
