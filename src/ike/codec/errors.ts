/** Outcome of a decode: the codec never throws on received bytes, it returns one of these. */
export type Result<T, E> = { ok: true; value: T } | { ok: false; error: E };
export type DecodeResult<T> = Result<T, DecodeError>;

/**
 * Why received bytes could not be decoded. `offset` is where the fault was found, counted from
 * the start of the buffer given to the decoder (the datagram for `decodeMessage`, the decrypted
 * body for `decodePayloadChain`); `text` says it for a log line.
 */
export type DecodeError =
  /** Fewer than 28 bytes: not even an ISAKMP header. */
  | { kind: 'truncated-header'; offset: number; available: number; text: string }
  /** Major version other than 1 (an IKEv2 packet, or not ISAKMP at all). */
  | { kind: 'bad-version'; offset: number; majorVersion: number; minorVersion: number; text: string }
  /** The header's length field is below the header's own 28 bytes. */
  | { kind: 'bad-message-length'; offset: number; declared: number; text: string }
  /** The header's length field disagrees with the datagram; `direction` says which is longer. */
  | {
      kind: 'length-mismatch';
      offset: number;
      declared: number;
      actual: number;
      direction: 'header-longer-than-datagram' | 'datagram-longer-than-header';
      text: string;
    }
  /** A payload (or its 4-byte generic header) runs past the end of the message or body. */
  | { kind: 'payload-overrun'; offset: number; payloadType: number; declared: number; available: number; text: string }
  /** A generic payload header's length is below 4. */
  | { kind: 'bad-payload-length'; offset: number; payloadType: number; declared: number; text: string }
  /** The payload's own structure is inconsistent (fixed fields, proposals, transforms, attributes, SPIs). */
  | { kind: 'malformed-payload'; offset: number; payloadType: number; text: string }
  /** A payload type this codec does not know, flagged critical (see message.ts). */
  | { kind: 'unknown-critical-payload'; offset: number; payloadType: number; text: string }
  /** More payloads (generic, proposals, transforms) in one message than decode-budget.ts allows. */
  | { kind: 'too-many-payloads'; offset: number; payloadType: number; limit: number; text: string }
  /** More data attributes in one message than decode-budget.ts allows. */
  | { kind: 'too-many-attributes'; offset: number; limit: number; text: string };

export type DecodeErrorKind = DecodeError['kind'];

/**
 * Thrown inside the codec by the bounds-checked reader and caught at every public entry point
 * (decodeHeader, decodePayloadChain, decodeMessage), so nested structures can be read without
 * threading a result through every field. It never escapes the codec.
 */
export class DecodeFailure {
  constructor(readonly error: DecodeError) {}
}

/** Runs a decoder, turning a DecodeFailure into `{ok: false}`; anything else is a bug and propagates. */
export function catchDecodeFailure<T>(decode: () => T): DecodeResult<T> {
  try {
    return { ok: true, value: decode() };
  } catch (thrown) {
    if (thrown instanceof DecodeFailure) return { ok: false, error: thrown.error };
    throw thrown;
  }
}
