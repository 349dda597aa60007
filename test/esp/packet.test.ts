import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ESP_INTEGRITY_SPECS,
  LAST_SEQUENCE_NUMBER,
  NextHeader,
  computeIcv,
  createEspSa,
  openEspPacket,
  readEspHeader,
  sealEspPacket,
  sealedLength,
  type EspSa,
} from '../../src/esp/index.js';
import { buildRawEspPacket, decryptByHand, icvLengthOf, ivLengthOf, plaintextWithTrailer } from './support/raw-esp.js';
import { TRANSFORMS, TRIPLE_DES_SHA1, describeTransform, spiBytes, testSa } from './support/test-sas.js';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');
const IPV4 = NextHeader.IPV4;

/** A payload that looks like nothing in particular: 0, 7, 14, ... */
const payloadOf = (length: number): Buffer => Buffer.from(Array.from({ length }, (_, i) => (i * 7) & 0xff));

describe('ICV: HMAC truncated to the algorithm’s ICV length', () => {
  // RFC 2202 test cases, which RFC 2403 (MD5) and RFC 2404 (SHA-1) cite for their -96 forms.
  const cases = [
    { name: 'case 1', key: Buffer.alloc(20, 0x0b), data: Buffer.from('Hi There'), sha1: 'b617318655057264e28bc0b6fb378c8ef146be00', md5: '9294727a3638bb1c13f48ef8158bfc9d' },
    { name: 'case 2', key: Buffer.from('Jefe'), data: Buffer.from('what do ya want for nothing?'), sha1: 'effcdf6ae5eb2fa2d27416d5f184df9c259a7c79', md5: '750c783e6ab0b503eaa86e310a5db738' },
    { name: 'case 3', key: Buffer.alloc(20, 0xaa), data: Buffer.alloc(50, 0xdd), sha1: '125d7342b9ac11cd91a39af48aa17b4f63f175d3', md5: '56be34521d144c88dbb8c733f0e8b3f6' },
    {
      name: 'case 4',
      key: Buffer.from(Array.from({ length: 25 }, (_, i) => i + 1)),
      data: Buffer.alloc(50, 0xcd),
      sha1: '4c9007f4026250c6bc8414f9bf50c86c2d7235da',
      md5: '697eaf0aca3a3aea3a75164746ffaa79',
    },
    { name: 'case 5 (truncation)', key: Buffer.alloc(20, 0x0c), data: Buffer.from('Test With Truncation'), sha1: '4c1a03424b55e07fe7f27be1d58bb9324a9a5a04', md5: '56461ef2342edc00f9bab995690efd4c' },
    {
      name: 'case 6 (key longer than a block)',
      key: Buffer.alloc(80, 0xaa),
      data: Buffer.from('Test Using Larger Than Block-Size Key - Hash Key First'),
      sha1: 'aa4ae5e15272d00e95705637ce8a3b55ed402112',
      md5: '6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd',
    },
  ];

  it.each(cases)('HMAC-SHA1-96 is the first 96 bits of RFC 2202 SHA-1 $name', ({ key, data, sha1 }) => {
    expect(computeIcv(ESP_INTEGRITY_SPECS['hmac-sha1-96'], key, data).toString('hex')).toBe(sha1.slice(0, 24));
  });

  it.each(cases)('HMAC-MD5-96 is the first 96 bits of RFC 2202 MD5 $name (MD5 keys are the RFC’s 16-byte ones)', ({ key, data, md5 }) => {
    const md5Key = key.length === 20 ? key.subarray(0, 16) : key;
    expect(computeIcv(ESP_INTEGRITY_SPECS['hmac-md5-96'], md5Key, data).toString('hex')).toBe(md5.slice(0, 24));
  });

  it('HMAC-SHA-256-128 is the first 128 bits of RFC 4231 test case 1', () => {
    expect(computeIcv(ESP_INTEGRITY_SPECS['hmac-sha256-128'], Buffer.alloc(20, 0x0b), Buffer.from('Hi There')).toString('hex')).toBe(
      'b0344c61d8db38535ca8afceaf0bf12b',
    );
  });

  it('is empty without integrity', () => {
    expect(computeIcv(ESP_INTEGRITY_SPECS.none, Buffer.alloc(0), Buffer.from('anything'))).toHaveLength(0);
  });
});

describe('RFC 3602 case #5: AES-128-CBC transport-mode ESP packet (ping 192.168.123.100)', () => {
  const sa = createEspSa(
    { encryption: 'aes128-cbc', integrity: 'none' },
    { spi: spiBytes(0x4321), encryptionKey: hex('90d382b4 10eeba7a d938c46c ec1a82bf'), integrityKey: Buffer.alloc(0) },
  );
  const iv = hex('e96e8c08 ab465763 fd098d45 dd3ff893');
  const icmpEchoRequest = hex(`
    08000ebd a70a0000 8e9c083d b95b0700 08090a0b 0c0d0e0f 10111213 14151617
    18191a1b 1c1d1e1f 20212223 24252627 28292a2b 2c2d2e2f 30313233 34353637`);
  const expected = hex(`
    00004321 00000001 e96e8c08 ab465763 fd098d45 dd3ff893
    f663c25d 325c18c6 a9453e19 4e120849 a4870b66 cc6b9965 330013b4 898dc856
    a4699e52 3a55db08 0b59ec3a 8e4b7e52 775b07d1 db34ed9c 538ab50c 551b874a
    a269add0 47ad2d59 13ac19b7 cfbad4a6`);
  const ICMP = 1;

  it('seals to the RFC’s bytes: 14 pad bytes 01..0e, pad length 0e, next header ICMP', () => {
    expect(sealEspPacket(sa, 1, icmpEchoRequest, ICMP, undefined, iv)).toEqual(expected);
  });

  it('is refused on receipt by a tunnel-mode SA: ICMP is no next header a tunnel carries', () => {
    expect(openEspPacket(sa, expected)).toEqual({ ok: false, problem: 'bad-next-header' });
  });
});

describe('sealEspPacket', () => {
  it('lays out SPI | sequence | IV | E(payload | 1..n | n | next header) | HMAC-SHA1-96 over everything before it', () => {
    const sa = testSa(TRIPLE_DES_SHA1, 0xd5866ebf);
    const payload = payloadOf(84);
    const packet = sealEspPacket(sa, 7, payload, IPV4);
    expect(packet.readUInt32BE(0)).toBe(0xd5866ebf);
    expect(packet.readUInt32BE(4)).toBe(7);
    expect(packet).toHaveLength(8 + 8 + 88 + 12);
    expect(decryptByHand(sa, packet)).toEqual(plaintextWithTrailer(payload, 2, IPV4));
    const icv = createHmac('sha1', sa.integrityKey).update(packet.subarray(0, packet.length - 12)).digest().subarray(0, 12);
    expect(packet.subarray(packet.length - 12)).toEqual(icv);
  });

  it('pads to the cipher block (8 for DES/3DES, 16 for AES) and to 4 bytes for NULL, with the fewest pad bytes', () => {
    for (const [transform, alignment] of [
      [{ encryption: '3des-cbc', integrity: 'hmac-sha1-96' }, 8],
      [{ encryption: 'aes128-cbc', integrity: 'hmac-sha1-96' }, 16],
      [{ encryption: 'null', integrity: 'hmac-md5-96' }, 4],
    ] as const) {
      const sa = testSa(transform);
      for (let length = 0; length <= 40; length++) {
        const trailer = decryptByHand(sa, sealEspPacket(sa, 1, payloadOf(length), IPV4));
        const padLength = trailer[trailer.length - 2]!;
        expect((length + padLength + 2) % alignment).toBe(0);
        expect(padLength).toBeLessThan(alignment);
      }
    }
  });

  it('adds whole blocks of extra padding on request, and refuses more than 255 pad bytes', () => {
    const sa = testSa(TRIPLE_DES_SHA1);
    const packet = sealEspPacket(sa, 1, payloadOf(6), IPV4, { extraBlocks: 3 });
    expect(decryptByHand(sa, packet)).toEqual(plaintextWithTrailer(payloadOf(6), 24, IPV4));
    expect(packet).toHaveLength(sealedLength(sa, 6, { extraBlocks: 3 }));
    expect(() => sealEspPacket(sa, 1, payloadOf(6), IPV4, { extraBlocks: 32 })).toThrow(RangeError);
  });

  it('draws a fresh IV per packet', () => {
    const sa = testSa(TRIPLE_DES_SHA1);
    const first = sealEspPacket(sa, 1, payloadOf(40), IPV4);
    const second = sealEspPacket(sa, 1, payloadOf(40), IPV4);
    expect(first.subarray(8, 16)).not.toEqual(second.subarray(8, 16));
  });

  it('refuses sequence numbers outside 1..2^32-1 and next headers outside a byte: callers’ bugs, not traffic', () => {
    const sa = testSa(TRIPLE_DES_SHA1);
    expect(() => sealEspPacket(sa, 0, payloadOf(1), IPV4)).toThrow(RangeError);
    expect(() => sealEspPacket(sa, LAST_SEQUENCE_NUMBER + 1, payloadOf(1), IPV4)).toThrow(RangeError);
    expect(readEspHeader(sealEspPacket(sa, LAST_SEQUENCE_NUMBER, payloadOf(1), IPV4))?.sequenceNumber).toBe(LAST_SEQUENCE_NUMBER);
    expect(() => sealEspPacket(sa, 1, payloadOf(1), 256)).toThrow(RangeError);
    expect(() => sealEspPacket(sa, 1, payloadOf(1), IPV4, undefined, Buffer.alloc(16))).toThrow(RangeError);
  });
});

describe.each(TRANSFORMS)('round trip: $encryption + $integrity', (transform) => {
  const sa = testSa(transform);

  it.each([0, 1, 20, 84, 1400])('opens a sealed %i-byte payload to the same payload, sequence number and next header', (length) => {
    const packet = sealEspPacket(sa, 42, payloadOf(length), IPV4);
    expect(packet).toHaveLength(sealedLength(sa, length));
    const opened = openEspPacket(sa, packet);
    expect(opened.ok && opened.packet).toMatchObject({ spi: sa.spi, sequenceNumber: 42, nextHeader: IPV4, payload: payloadOf(length) });
  });

  it('opens what the hand-built oracle seals', () => {
    const payload = payloadOf(50);
    const alignment = transform.encryption === 'null' ? 4 : ivLengthOf(sa);
    const padLength = (alignment - ((payload.length + 2) % alignment)) % alignment;
    const packet = buildRawEspPacket(sa, { sequenceNumber: 3, plaintext: plaintextWithTrailer(payload, padLength, NextHeader.IPV6) });
    expect(openEspPacket(sa, packet)).toMatchObject({ ok: true, packet: { sequenceNumber: 3, nextHeader: NextHeader.IPV6, payload, padLength } });
  });
});

const WITH_INTEGRITY = TRANSFORMS.filter((transform) => transform.integrity !== 'none');

describe.each(WITH_INTEGRITY)('tampering: $encryption + $integrity', (transform) => {
  it('a single flipped bit anywhere, header, IV, ciphertext or ICV, gives bad-icv', () => {
    const sa = testSa(transform);
    const packet = sealEspPacket(sa, 9, payloadOf(36), IPV4);
    const problems = new Set<string>();
    for (let bit = 0; bit < packet.length * 8; bit++) {
      const tampered = Buffer.from(packet);
      tampered[bit >> 3]! ^= 0x80 >> (bit & 7);
      const opened = openEspPacket(sa, tampered);
      problems.add(opened.ok ? 'opened' : opened.problem);
    }
    expect([...problems]).toEqual(['bad-icv']);
  });

  it('a packet sealed under another integrity key gives bad-icv', () => {
    const sa = testSa(transform);
    const other: EspSa = { ...sa, integrityKey: Buffer.from(sa.integrityKey.map((byte) => byte ^ 1)) };
    expect(openEspPacket(sa, sealEspPacket(other, 1, payloadOf(10), IPV4))).toEqual({ ok: false, problem: 'bad-icv' });
  });
});

describe('truncation', () => {
  it.each(TRANSFORMS.map((transform) => [describeTransform(transform), transform] as const))('%s: no prefix of a packet opens', (_, transform) => {
    const sa = testSa(transform);
    const packet = sealEspPacket(sa, 1, payloadOf(30), IPV4);
    const smallest = 8 + ivLengthOf(sa) + (transform.encryption === 'null' ? 2 : ivLengthOf(sa)) + icvLengthOf(sa);
    for (let length = 0; length < packet.length; length++) {
      const opened = openEspPacket(sa, packet.subarray(0, length));
      expect(opened.ok).toBe(false);
      if (length < smallest) expect(opened).toEqual({ ok: false, problem: 'truncated' });
    }
  });

  it('a ciphertext that is not whole blocks is not-block-aligned, checked before the ICV', () => {
    const sa = testSa(TRIPLE_DES_SHA1);
    const packet = buildRawEspPacket(sa, { sequenceNumber: 1, plaintext: Buffer.alloc(16) });
    const misaligned = Buffer.concat([packet.subarray(0, packet.length - 12), Buffer.alloc(4), packet.subarray(packet.length - 12)]);
    expect(openEspPacket(sa, misaligned)).toEqual({ ok: false, problem: 'not-block-aligned' });
  });
});

describe('padding and next header checks (after the ICV verified)', () => {
  const sa = testSa(TRIPLE_DES_SHA1);
  const open = (plaintext: Buffer) => openEspPacket(sa, buildRawEspPacket(sa, { sequenceNumber: 1, plaintext }));

  it('accepts pad bytes 1, 2, 3, ... and reports the pad length', () => {
    expect(open(plaintextWithTrailer(payloadOf(4), 2, IPV4))).toMatchObject({ ok: true, packet: { payload: payloadOf(4), padLength: 2 } });
  });

  it('refuses pad bytes that are not 1, 2, 3, ... (zeros, random, off by one)', () => {
    for (const padding of [[0, 0], [2, 1], [1, 3], [0xff, 0xff]]) {
      expect(open(Buffer.concat([payloadOf(4), Buffer.from(padding), Buffer.of(2, IPV4)]))).toEqual({ ok: false, problem: 'bad-padding' });
    }
  });

  it('refuses a pad length that runs past the decrypted data', () => {
    expect(open(Buffer.concat([payloadOf(6), Buffer.of(7, IPV4)]))).toEqual({ ok: false, problem: 'bad-padding' });
  });

  it('accepts IPv4, IPv6 and dummy (59) next headers and refuses others (TCP, UDP, ICMP, 0, 255)', () => {
    for (const nextHeader of [NextHeader.IPV4, NextHeader.IPV6, NextHeader.NO_NEXT_HEADER]) {
      expect(open(plaintextWithTrailer(payloadOf(6), 0, nextHeader))).toMatchObject({ ok: true, packet: { nextHeader } });
    }
    for (const nextHeader of [6, 17, 1, 0, 255]) {
      expect(open(plaintextWithTrailer(payloadOf(6), 0, nextHeader))).toEqual({ ok: false, problem: 'bad-next-header' });
    }
  });
});

describe('properties', () => {
  const transformArbitrary = fc.constantFrom(...TRANSFORMS);

  it('any payload of any length round-trips under any transform, whatever the sequence number', () => {
    fc.assert(
      fc.property(transformArbitrary, fc.uint8Array({ maxLength: 1500 }), fc.integer({ min: 1, max: LAST_SEQUENCE_NUMBER }), (transform, bytes, sequenceNumber) => {
        const sa = testSa(transform);
        const payload = Buffer.from(bytes);
        const opened = openEspPacket(sa, sealEspPacket(sa, sequenceNumber, payload, IPV4));
        return opened.ok && opened.packet.payload.equals(payload) && opened.packet.sequenceNumber === sequenceNumber;
      }),
      { numRuns: 300 },
    );
  });

  it('random bytes never throw and never open when the SA has integrity', () => {
    fc.assert(
      fc.property(fc.constantFrom(...WITH_INTEGRITY), fc.uint8Array({ maxLength: 300 }), (transform, bytes) => {
        return openEspPacket(testSa(transform), Buffer.from(bytes)).ok === false;
      }),
      { numRuns: 1000 },
    );
  });

  it('random bytes behind a valid ICV never throw: they open or are refused with a reason', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TRANSFORMS), fc.uint8Array({ minLength: 1, maxLength: 20 }), (transform, blocks) => {
        const sa = testSa(transform);
        const alignment = transform.encryption === 'null' ? 4 : ivLengthOf(sa);
        const plaintext = Buffer.alloc(Math.ceil(blocks.length / alignment) * alignment);
        Buffer.from(blocks).copy(plaintext);
        const opened = openEspPacket(sa, buildRawEspPacket(sa, { sequenceNumber: 1, plaintext }));
        return opened.ok || ['bad-padding', 'bad-next-header'].includes(opened.problem);
      }),
      { numRuns: 500 },
    );
  });
});
