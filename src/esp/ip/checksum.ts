/**
 * The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of 16-bit
 * big-endian words, over the concatenation of `parts` (an odd final byte is padded with zero).
 * Parts after an odd-length part continue at the odd offset, as if concatenated.
 */
export function internetChecksum(...parts: readonly Buffer[]): number {
  let sum = 0;
  let pendingHighByte: number | undefined;
  for (const part of parts) {
    let offset = 0;
    if (pendingHighByte !== undefined && part.length > 0) {
      sum += (pendingHighByte << 8) | part[0]!;
      pendingHighByte = undefined;
      offset = 1;
    }
    const evenEnd = offset + ((part.length - offset) & ~1);
    for (let i = offset; i < evenEnd; i += 2) sum += (part[i]! << 8) | part[i + 1]!;
    if (evenEnd < part.length) pendingHighByte = part[evenEnd]!;
    // Fold now and then so the sum stays a small integer however long the data.
    if (sum > 0x7fffffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  }
  if (pendingHighByte !== undefined) sum += pendingHighByte << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return ~sum & 0xffff;
}
