import { isIPv4, isIPv6 } from 'node:net';

/** Dotted-quad text of 4 address bytes. */
export function formatIpv4(bytes: Buffer): string {
  if (bytes.length !== 4) throw new RangeError(`an IPv4 address is 4 bytes, not ${bytes.length}`);
  // Per packet on the ESP path: no array made for four numbers.
  return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
}

export function parseIpv4(text: string): Buffer {
  if (!isIPv4(text)) throw new RangeError(`not an IPv4 address: ${JSON.stringify(text)}`);
  return Buffer.from(text.split('.').map(Number));
}

/** RFC 5952 text of 16 address bytes: lower case, longest run of 2+ zero groups as `::`. */
export function formatIpv6(bytes: Buffer): string {
  if (bytes.length !== 16) throw new RangeError(`an IPv6 address is 16 bytes, not ${bytes.length}`);
  const groups = Array.from({ length: 8 }, (_, i) => bytes.readUInt16BE(i * 2));
  let bestStart = -1;
  let bestLength = 1;
  for (let start = 0; start < 8; start++) {
    let end = start;
    while (end < 8 && groups[end] === 0) end++;
    if (end - start > bestLength) [bestStart, bestLength] = [start, end - start];
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

export function parseIpv6(text: string): Buffer {
  if (!isIPv6(text)) throw new RangeError(`not an IPv6 address: ${JSON.stringify(text)}`);
  const toGroups = (part: string): number[] => {
    if (part === '') return [];
    return part.split(':').flatMap((piece) => {
      if (!piece.includes('.')) return [parseInt(piece, 16)];
      const v4 = parseIpv4(piece); // an embedded IPv4 tail (::ffff:192.0.2.1)
      return [v4.readUInt16BE(0), v4.readUInt16BE(2)];
    });
  };
  const [head = '', tail] = text.split('::');
  const headGroups = toGroups(head);
  const tailGroups = tail === undefined ? [] : toGroups(tail);
  const zeros = new Array<number>(8 - headGroups.length - tailGroups.length).fill(0);
  const bytes = Buffer.alloc(16);
  [...headGroups, ...zeros, ...tailGroups].forEach((group, i) => bytes.writeUInt16BE(group, i * 2));
  return bytes;
}
