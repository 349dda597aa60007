/**
 * How much one message may make the decoder do. A 64 KB datagram holds 16,000 empty payloads
 * (or 16,000 attributes); every one decoded costs CPU and, downstream, log lines. Real peers
 * stay far below these caps (strongSwan's message 1 has about ten payloads, its largest SA
 * offer a few dozen transforms of under ten attributes each): rtxlab's choice, not an RTX value.
 */
import { DecodeFailure } from './errors.js';

/** Payloads per message, counting generic payloads, proposals and transforms alike. */
export const MAX_PAYLOADS_PER_MESSAGE = 256;
/** Data attributes per message (transforms, mode-cfg ATTR payloads). */
export const MAX_ATTRIBUTES_PER_MESSAGE = 1024;

/** Counts what one decode call reads; the first item past a cap ends the decode with a typed error. */
export class DecodeBudget {
  private payloads = 0;
  private attributes = 0;

  constructor(
    private readonly maxPayloads = MAX_PAYLOADS_PER_MESSAGE,
    private readonly maxAttributes = MAX_ATTRIBUTES_PER_MESSAGE,
  ) {}

  /** Payloads and attributes read so far. */
  get spent(): { payloads: number; attributes: number } {
    return { payloads: this.payloads, attributes: this.attributes };
  }

  payload(offset: number, payloadType: number): void {
    if (++this.payloads > this.maxPayloads) {
      throw new DecodeFailure({ kind: 'too-many-payloads', offset, payloadType, limit: this.maxPayloads, text: `more than ${this.maxPayloads} payloads in one message` });
    }
  }

  attribute(offset: number): void {
    if (++this.attributes > this.maxAttributes) {
      throw new DecodeFailure({ kind: 'too-many-attributes', offset, limit: this.maxAttributes, text: `more than ${this.maxAttributes} attributes in one message` });
    }
  }
}
