import { GENERIC_PAYLOAD_HEADER_LENGTH } from '../constants.js';

/**
 * Appends big-endian fields to a growing buffer. Values out of a field's range are programming
 * errors of the caller (the encoder only writes what it was given) and throw a RangeError.
 */
export class ByteWriter {
  private buffer = Buffer.allocUnsafe(256);
  private size = 0;

  get length(): number {
    return this.size;
  }

  u8(value: number): this {
    this.reserve(1);
    this.size = this.buffer.writeUInt8(value, this.size);
    return this;
  }

  u16(value: number): this {
    this.reserve(2);
    this.size = this.buffer.writeUInt16BE(value, this.size);
    return this;
  }

  u32(value: number): this {
    this.reserve(4);
    this.size = this.buffer.writeUInt32BE(value, this.size);
    return this;
  }

  bytes(value: Uint8Array): this {
    this.reserve(value.length);
    this.buffer.set(value, this.size);
    this.size += value.length;
    return this;
  }

  /** A copy of what was written, sized exactly. */
  toBuffer(): Buffer {
    return Buffer.from(this.buffer.subarray(0, this.size));
  }

  private reserve(extra: number): void {
    if (this.size + extra <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.size + extra));
    this.buffer.copy(grown, 0, 0, this.size);
    this.buffer = grown;
  }
}

const MAX_U16 = 0xffff;

/**
 * Writes `body` behind a generic header: next payload(1) | reserved(1) | length(2), the length
 * counting the header. Payloads, proposals and transforms all chain this way (RFC 2408 §3.2).
 */
export function writeChained(writer: ByteWriter, nextType: number, body: Buffer, what: string): void {
  const length = GENERIC_PAYLOAD_HEADER_LENGTH + body.length;
  if (length > MAX_U16) throw new RangeError(`${what} of ${length} bytes exceeds the 16-bit length field`);
  writer.u8(nextType).u8(0).u16(length).bytes(body);
}
