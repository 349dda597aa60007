import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { CbcOpenStream, CbcSealStream, encryptCbc, prf, type PaddingPolicy } from '../ike/crypto/index.js';
import type { EspIntegritySpec } from './algorithms.js';
import type { EspSa } from './sa.js';

// The ESP packet (RFC 4303 §2): SPI(4) | sequence number(4) | IV | E(payload | padding |
// pad length(1) | next header(1)) | ICV. The ICV covers SPI through the end of the ciphertext,
// IV included (RFC 4303 §3.3.4). No extended sequence numbers: IKEv1 peers of the RTX1500's
// era do not negotiate them.

export const ESP_HEADER_LENGTH = 8;
/** RFC 4303 §2.2: the counter starts at 0, so the first packet carries 1; it must never cycle. */
export const FIRST_SEQUENCE_NUMBER = 1;
export const LAST_SEQUENCE_NUMBER = 0xffffffff;

/** Next Header values (IANA protocol numbers) a tunnel-mode SA carries (RFC 4303 §2.6). */
export const NextHeader = {
  IPV4: 4,
  IPV6: 41,
  /** A dummy packet (traffic flow confidentiality): the receiver discards it (RFC 4303 §2.6). */
  NO_NEXT_HEADER: 59,
} as const;

const TUNNEL_MODE_NEXT_HEADERS: ReadonlySet<number> = new Set(Object.values(NextHeader));
/** Pad length and next header. */
const TRAILER_LENGTH = 2;
/** RFC 4303 §2.4: at most 255 pad bytes (the pad length is one byte). */
const MAX_PAD_LENGTH = 255;
/** The plaintext is built aligned already: the cipher helper must add nothing. */
const ALREADY_ALIGNED: PaddingPolicy = { kind: 'zeros', minimumLength: 0 };

/**
 * How much padding to add beyond the minimum, in whole alignment units. RFC 4303 §2.4 allows
 * extra padding to hide the payload length; real clients send the minimum.
 */
export interface EspPadding {
  readonly extraBlocks: number;
}

export const MINIMAL_PADDING: EspPadding = { extraBlocks: 0 };

/** The truncated HMAC over `authenticated` (RFC 2403/2404 §2, RFC 4868 §2.3); empty without integrity. */
export function computeIcv(integrity: EspIntegritySpec, key: Buffer, authenticated: Buffer): Buffer {
  if (integrity.hash === undefined) return Buffer.alloc(0);
  return prf(integrity.hash, key, authenticated).subarray(0, integrity.icvLength);
}

/** The truncated HMAC over the concatenation of `parts`, without joining them first. */
function computeIcvOver(integrity: EspIntegritySpec, key: Buffer, ...parts: Buffer[]): Buffer {
  if (integrity.hash === undefined) return Buffer.alloc(0);
  const hmac = createHmac(integrity.hash, key);
  for (const part of parts) hmac.update(part);
  return hmac.digest().subarray(0, integrity.icvLength);
}

// One long-lived CBC cipher per SA and direction of use (cbc-stream.ts): a cipher object per
// packet costs more than the packet's AES. Held weakly: an SA dropped by its table takes them along.
const sealStreams = new WeakMap<EspSa, CbcSealStream>();
const openStreams = new WeakMap<EspSa, CbcOpenStream>();

function sealStreamOf(sa: EspSa): CbcSealStream {
  let stream = sealStreams.get(sa);
  if (stream === undefined) {
    stream = new CbcSealStream(sa.encryptionSpec.cipher!, sa.encryptionKey);
    sealStreams.set(sa, stream);
  }
  return stream;
}

function openStreamOf(sa: EspSa): CbcOpenStream {
  let stream = openStreams.get(sa);
  if (stream === undefined) {
    stream = new CbcOpenStream(sa.encryptionSpec.cipher!, sa.encryptionKey);
    openStreams.set(sa, stream);
  }
  return stream;
}

function padLengthFor(sa: EspSa, payloadLength: number, padding: EspPadding): number {
  const { alignment } = sa.encryptionSpec;
  const minimum = (alignment - ((payloadLength + TRAILER_LENGTH) % alignment)) % alignment;
  if (!Number.isInteger(padding.extraBlocks) || padding.extraBlocks < 0) {
    throw new RangeError(`extra padding blocks must be a non-negative integer, got ${padding.extraBlocks}`);
  }
  const length = minimum + padding.extraBlocks * alignment;
  if (length > MAX_PAD_LENGTH) throw new RangeError(`${length} pad bytes exceed the ${MAX_PAD_LENGTH} a pad length byte can say`);
  return length;
}

/** The length of the sealed packet for a payload of `payloadLength` bytes. */
export function sealedLength(sa: EspSa, payloadLength: number, padding: EspPadding = MINIMAL_PADDING): number {
  const { ivLength } = sa.encryptionSpec;
  return ESP_HEADER_LENGTH + ivLength + payloadLength + padLengthFor(sa, payloadLength, padding) + TRAILER_LENGTH + sa.integritySpec.icvLength;
}

function checkSequenceNumber(sequenceNumber: number): void {
  if (!Number.isInteger(sequenceNumber) || sequenceNumber < FIRST_SEQUENCE_NUMBER || sequenceNumber > LAST_SEQUENCE_NUMBER) {
    throw new RangeError(`ESP sequence number ${sequenceNumber} is outside ${FIRST_SEQUENCE_NUMBER}..${LAST_SEQUENCE_NUMBER}`);
  }
}

/**
 * Seals `payload` (in tunnel mode: the inner IP packet) into an ESP packet. Pad bytes are
 * 1, 2, 3, ... (RFC 4303 §2.4 default). The IV is random unless given (RFC 3602 §2: it must be
 * unpredictable; tests pass one to reproduce vectors). Throws RangeError on arguments no caller
 * should pass: a sequence number outside 1..2^32-1, a next header outside 0..255, a wrong IV size.
 */
export function sealEspPacket(
  sa: EspSa,
  sequenceNumber: number,
  payload: Buffer,
  nextHeader: number,
  padding: EspPadding = MINIMAL_PADDING,
  iv?: Buffer,
): Buffer {
  checkSequenceNumber(sequenceNumber);
  if (!Number.isInteger(nextHeader) || nextHeader < 0 || nextHeader > 0xff) throw new RangeError(`next header ${nextHeader} is not one byte`);
  const { cipher, ivLength } = sa.encryptionSpec;
  const { icvLength } = sa.integritySpec;
  const padLength = padLengthFor(sa, payload.length, padding);

  // With a cipher and no IV given, the plaintext is built behind one block of room that the seal
  // stream fills with random bytes and encrypts into the packet's IV (cbc-stream.ts).
  const streamed = cipher !== undefined && iv === undefined;
  const head = streamed ? ivLength : 0;
  const plaintext = Buffer.allocUnsafe(head + payload.length + padLength + TRAILER_LENGTH);
  payload.copy(plaintext, head);
  for (let i = 0; i < padLength; i++) plaintext[head + payload.length + i] = i + 1;
  plaintext[plaintext.length - 2] = padLength;
  plaintext[plaintext.length - 1] = nextHeader;

  const header = Buffer.allocUnsafe(ESP_HEADER_LENGTH);
  header.writeUInt32BE(sa.spi, 0);
  header.writeUInt32BE(sequenceNumber, 4);
  if (streamed) {
    const ivAndCiphertext = sealStreamOf(sa).seal(plaintext);
    const icv = computeIcvOver(sa.integritySpec, sa.integrityKey, header, ivAndCiphertext);
    return Buffer.concat([header, ivAndCiphertext, icv], ESP_HEADER_LENGTH + ivAndCiphertext.length + icvLength);
  }

  const packetIv = ivLength === 0 ? Buffer.alloc(0) : (iv ?? randomBytes(ivLength));
  if (packetIv.length !== ivLength) throw new RangeError(`${sa.encryption} needs a ${ivLength}-byte IV, got ${packetIv.length}`);
  const ciphertext = cipher === undefined ? plaintext : encryptCbc(cipher, sa.encryptionKey, packetIv, plaintext, ALREADY_ALIGNED);

  const authenticatedLength = ESP_HEADER_LENGTH + ivLength + ciphertext.length;
  const packet = Buffer.allocUnsafe(authenticatedLength + icvLength);
  header.copy(packet, 0);
  packetIv.copy(packet, ESP_HEADER_LENGTH);
  ciphertext.copy(packet, ESP_HEADER_LENGTH + ivLength);
  computeIcv(sa.integritySpec, sa.integrityKey, packet.subarray(0, authenticatedLength)).copy(packet, authenticatedLength);
  return packet;
}

/** The cleartext header every ESP packet starts with, or undefined when there are not 8 bytes. */
export function readEspHeader(packet: Buffer): { readonly spi: number; readonly sequenceNumber: number } | undefined {
  if (packet.length < ESP_HEADER_LENGTH) return undefined;
  return { spi: packet.readUInt32BE(0), sequenceNumber: packet.readUInt32BE(4) };
}

/** Why a received packet could not be opened. None of these is a bug on our side; none throws. */
export type EspPacketProblem =
  /** Shorter than the smallest packet this SA can carry (header, IV, one block, ICV). */
  | 'truncated'
  /** The ciphertext is not a whole number of cipher blocks (RFC 4303 §2.4). */
  | 'not-block-aligned'
  /** The ICV does not verify (RFC 4303 §3.4.4.1): tampered, truncated, or keyed differently. */
  | 'bad-icv'
  /** The pad length runs past the payload, or the pad bytes are not 1, 2, 3, ... (RFC 4303 §2.4). */
  | 'bad-padding'
  /** Not IPv4, IPv6 or a dummy packet: nothing a tunnel-mode SA carries (RFC 4303 §2.6). */
  | 'bad-next-header';

export interface OpenedEspPacket {
  readonly spi: number;
  readonly sequenceNumber: number;
  readonly nextHeader: number;
  /** The inner packet (tunnel mode), without padding and trailer; under NULL encryption a view into the received bytes. */
  readonly payload: Buffer;
  readonly padLength: number;
}

export type EspOpenResult = { readonly ok: true; readonly packet: OpenedEspPacket } | { readonly ok: false; readonly problem: EspPacketProblem };

const fail = (problem: EspPacketProblem): EspOpenResult => ({ ok: false, problem });

/**
 * Opens one received ESP packet: checks the ICV before decrypting (RFC 4303 §3.4.4.1), then the
 * padding and next header. Pure: replay checks and counters belong to the inbound SA state.
 * Never throws on received bytes.
 */
export function openEspPacket(sa: EspSa, packet: Buffer): EspOpenResult {
  const { cipher, ivLength, alignment } = sa.encryptionSpec;
  const { icvLength } = sa.integritySpec;
  const smallestEncrypted = cipher === undefined ? TRAILER_LENGTH : alignment;
  if (packet.length < ESP_HEADER_LENGTH + ivLength + smallestEncrypted + icvLength) return fail('truncated');
  // The SPI is not compared with the SA's: the caller found the SA by it, and the ICV covers it.
  const spi = packet.readUInt32BE(0);
  const authenticatedLength = packet.length - icvLength;
  const ciphertext = packet.subarray(ESP_HEADER_LENGTH + ivLength, authenticatedLength);
  // NULL encryption is not held to its 4-byte alignment on receipt: nothing depends on it.
  if (cipher !== undefined && ciphertext.length % alignment !== 0) return fail('not-block-aligned');

  if (icvLength > 0) {
    const expected = computeIcv(sa.integritySpec, sa.integrityKey, packet.subarray(0, authenticatedLength));
    if (!timingSafeEqual(expected, packet.subarray(authenticatedLength))) return fail('bad-icv');
  }

  let plaintext: Buffer = ciphertext;
  if (cipher !== undefined) {
    // The IV block sits right before the ciphertext: the open stream takes both in one call.
    const decrypted = openStreamOf(sa).open(packet.subarray(ESP_HEADER_LENGTH, authenticatedLength));
    if (decrypted === undefined) return fail('not-block-aligned');
    plaintext = decrypted;
  }
  const padLength = plaintext[plaintext.length - 2]!;
  const nextHeader = plaintext[plaintext.length - 1]!;
  const payloadLength = plaintext.length - TRAILER_LENGTH - padLength;
  if (payloadLength < 0) return fail('bad-padding');
  for (let i = 0; i < padLength; i++) {
    if (plaintext[payloadLength + i] !== i + 1) return fail('bad-padding');
  }
  if (!TUNNEL_MODE_NEXT_HEADERS.has(nextHeader)) return fail('bad-next-header');
  return {
    ok: true,
    packet: { spi, sequenceNumber: packet.readUInt32BE(4), nextHeader, payload: plaintext.subarray(0, payloadLength), padLength },
  };
}
