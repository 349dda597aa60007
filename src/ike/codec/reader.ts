import { DecodeBudget } from './decode-budget.js';
import { DecodeFailure, type DecodeError } from './errors.js';

/** Makes the error for a read that would pass the end; `offset` is absolute. */
export type FaultDescriber = (offset: number, text: string) => DecodeError;

/**
 * A cursor over received bytes that never reads out of range: a read past the end throws a
 * DecodeFailure built by `describeFault`, which the public decode functions turn into a result.
 * Offsets it reports are absolute (`baseOffset` is where `bytes` starts in the whole input).
 */
export class ByteReader {
  private position = 0;

  constructor(
    private readonly bytes: Buffer,
    private readonly baseOffset: number,
    private readonly describeFault: FaultDescriber,
    /** What the whole message may still cost; shared by every reader of one decode. */
    readonly budget: DecodeBudget = new DecodeBudget(),
  ) {}

  /** Absolute offset of the next byte to read. */
  get offset(): number {
    return this.baseOffset + this.position;
  }

  get remaining(): number {
    return this.bytes.length - this.position;
  }

  u8(field: string): number {
    this.need(1, field);
    return this.bytes.readUInt8(this.position++);
  }

  u16(field: string): number {
    this.need(2, field);
    const value = this.bytes.readUInt16BE(this.position);
    this.position += 2;
    return value;
  }

  u32(field: string): number {
    this.need(4, field);
    const value = this.bytes.readUInt32BE(this.position);
    this.position += 4;
    return value;
  }

  /** The next `length` bytes, as a view into the input (no copy). */
  take(length: number, field: string): Buffer {
    this.need(length, field);
    const view = this.bytes.subarray(this.position, this.position + length);
    this.position += length;
    return view;
  }

  /** A reader over the next `length` bytes, with the same fault describer; this one skips them. */
  sub(length: number, field: string): ByteReader {
    const start = this.offset;
    return new ByteReader(this.take(length, field), start, this.describeFault, this.budget);
  }

  /** Whether every byte not yet read is zero (none left counts as yes). */
  restIsZero(): boolean {
    return this.bytes.subarray(this.position).every((byte) => byte === 0);
  }

  /** Everything not yet read. */
  rest(): Buffer {
    return this.take(this.remaining, 'rest');
  }

  /** Stops decoding with a fault at the current offset. */
  fail(text: string, offset: number = this.offset): never {
    throw new DecodeFailure(this.describeFault(offset, text));
  }

  private need(length: number, field: string): void {
    if (length > this.remaining) {
      this.fail(`${field} needs ${length} byte${length === 1 ? '' : 's'}, only ${this.remaining} left`);
    }
  }
}
