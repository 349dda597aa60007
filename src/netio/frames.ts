/**
 * The native helper's pipe protocol (native/netio.c): each frame is a 4-byte IPv4 address, a
 * 2-byte big-endian length and one packet. Raw ESP: the address is the destination (written to
 * the helper) or the source (read), the packet the IP payload (the kernel adds and strips the
 * IPv4 header). TUN: the address is 0.0.0.0 and the packet a whole IP packet.
 * Pure: the reader keeps the bytes of a frame that is not complete yet.
 */
export const FRAME_HEADER_LENGTH = 6;
export const MAX_FRAME_PACKET = 0xffff;

export interface HelperFrame {
  /** Dotted IPv4: the destination (written) or the source (read); 0.0.0.0 for a TUN device. */
  readonly address: string;
  readonly packet: Buffer;
}

export function encodeFrame(frame: HelperFrame): Buffer {
  if (frame.packet.length > MAX_FRAME_PACKET) throw new RangeError(`a packet of ${frame.packet.length} bytes does not fit an IPv4 datagram`);
  const octets = frame.address.split('.').map(Number);
  if (octets.length !== 4 || octets.some((octet) => !Number.isInteger(octet) || octet < 0 || octet > 255)) {
    throw new RangeError(`the helper's frames carry IPv4 addresses only, not ${frame.address}`);
  }
  const encoded = Buffer.allocUnsafe(FRAME_HEADER_LENGTH + frame.packet.length);
  octets.forEach((octet, index) => (encoded[index] = octet));
  encoded.writeUInt16BE(frame.packet.length, 4);
  frame.packet.copy(encoded, FRAME_HEADER_LENGTH);
  return encoded;
}

/** Splits the helper's output into frames, across chunk boundaries. */
export class FrameReader {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): HelperFrame[] {
    let bytes = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const frames: HelperFrame[] = [];
    while (bytes.length >= FRAME_HEADER_LENGTH) {
      const length = bytes.readUInt16BE(4);
      if (bytes.length < FRAME_HEADER_LENGTH + length) break;
      frames.push({
        address: `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`,
        packet: Buffer.from(bytes.subarray(FRAME_HEADER_LENGTH, FRAME_HEADER_LENGTH + length)),
      });
      bytes = bytes.subarray(FRAME_HEADER_LENGTH + length);
    }
    this.pending = Buffer.from(bytes);
    return frames;
  }
}
