// The keying functions against real exchanges: strongSwan 5.9.8 (push and pull) and vpnc 0.5.3
// clients talking to a strongSwan responder, with the key material the responder logged.
// Only the bytes the crypto needs are sliced out here; the ISAKMP codec is tested on its own.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  computeHashI,
  computeHashR,
  computeMessageHash,
  computeNatDiscoveryHash,
  computeQuickModeHash1,
  computeQuickModeHash2,
  computeQuickModeHash3,
  createIvChains,
  decryptCbc,
  decryptMessageBody,
  deriveQuickModeKeys,
  derivePhase1Keys,
  prf,
  type IvChains,
  type Phase1AuthContext,
  type Phase1Keys,
} from '../../../src/ike/crypto/index.js';
import { readUdpCapture, type CapturedDatagram } from '../../support/pcap.js';
import { capturesDir } from '../../support/paths.js';

const ISAKMP_HEADER_LENGTH = 28;
const PAYLOAD = { sa: 1, ke: 4, id: 5, hash: 8, nonce: 10, natD: 20 } as const;
const EXCHANGE = { aggressive: 4, informational: 5, transaction: 6, quickMode: 32 } as const;

interface RawPayload {
  type: number;
  body: Buffer;
  /** Offset just past this payload inside the chain it was found in. */
  end: number;
}

/** Walks a payload chain by the generic headers: next payload(1) | reserved(1) | length(2). */
function walkPayloads(firstType: number, chain: Buffer): RawPayload[] {
  const payloads: RawPayload[] = [];
  let type = firstType;
  let offset = 0;
  while (type !== 0) {
    if (offset + 4 > chain.length) throw new Error(`payload ${type} header runs past the chain`);
    const length = chain.readUInt16BE(offset + 2);
    if (length < 4 || offset + length > chain.length) throw new Error(`payload ${type} has a bad length ${length}`);
    payloads.push({ type, body: chain.subarray(offset + 4, offset + length), end: offset + length });
    type = chain[offset]!;
    offset += length;
  }
  return payloads;
}

function bodyOf(payloads: RawPayload[], type: number): Buffer {
  const payload = payloads.find((candidate) => candidate.type === type);
  if (payload === undefined) throw new Error(`no payload of type ${type}`);
  return payload.body;
}

interface IkeDatagram {
  datagram: CapturedDatagram;
  message: Buffer;
  exchange: number;
  encrypted: boolean;
  messageId: number;
}

interface KeysJson {
  ike_sas: { gxy: string; skeyid: string; skeyid_d: string; skeyid_a: string; skeyid_e: string; ka: string; iv0: string; initiator_cookie: string }[];
  child_sas_seen_by_this_side: { spi_in: string; spi_out: string }[];
  secrets: { psk: string };
}

function loadCapture(name: string) {
  const folder = join(capturesDir, name);
  const keysJson = JSON.parse(readFileSync(join(folder, 'keys.json'), 'utf8')) as KeysJson;
  const datagrams = readUdpCapture(join(folder, 'capture.pcap'));
  const ike: IkeDatagram[] = datagrams.flatMap((datagram) =>
    datagram.content.kind === 'ike'
      ? [
          {
            datagram,
            message: datagram.content.message,
            exchange: datagram.content.message[18]!,
            encrypted: (datagram.content.message[19]! & 0x01) !== 0,
            messageId: datagram.content.message.readUInt32BE(20),
          },
        ]
      : [],
  );
  const [first, second] = ike;
  if (first === undefined || second === undefined) throw new Error(`${name}: fewer than two IKE messages`);
  const message1 = walkPayloads(first.message[16]!, first.message.subarray(ISAKMP_HEADER_LENGTH));
  const message2 = walkPayloads(second.message[16]!, second.message.subarray(ISAKMP_HEADER_LENGTH));
  const ikeSa = keysJson.ike_sas[0]!;
  const keys = derivePhase1Keys({
    hash: 'sha1',
    preSharedKey: Buffer.from(keysJson.secrets.psk),
    initiatorNonce: bodyOf(message1, PAYLOAD.nonce),
    responderNonce: bodyOf(message2, PAYLOAD.nonce),
    sharedSecret: Buffer.from(ikeSa.gxy, 'hex'),
    initiatorCookie: first.message.subarray(0, 8),
    responderCookie: second.message.subarray(8, 16),
    encryptionKeyLength: 24,
  });
  const authContext: Phase1AuthContext = {
    hash: 'sha1',
    skeyid: keys.skeyid,
    initiatorPublicValue: bodyOf(message1, PAYLOAD.ke),
    responderPublicValue: bodyOf(message2, PAYLOAD.ke),
    initiatorCookie: first.message.subarray(0, 8),
    responderCookie: second.message.subarray(8, 16),
    initiatorSaBody: bodyOf(message1, PAYLOAD.sa),
  };
  return { keysJson, ikeSa, datagrams, ike, message1, message2, keys, authContext };
}

type Capture = ReturnType<typeof loadCapture>;

interface DecryptedMessage {
  frame: number;
  exchange: number;
  messageId: number;
  payloads: RawPayload[];
  hashVerified: boolean;
}

/** Decrypts every encrypted message in capture order, on the chain its M-ID selects. */
function decryptAll(capture: Capture): { messages: DecryptedMessage[]; chains: IvChains } {
  const { keys, authContext } = capture;
  let chains = createIvChains('sha1', 8, authContext.initiatorPublicValue, authContext.responderPublicValue);
  const quickModeMessages = new Map<number, RawPayload[][]>();
  const messages: DecryptedMessage[] = [];
  for (const ike of capture.ike.filter((candidate) => candidate.encrypted)) {
    const decrypted = decryptMessageBody(
      { cipher: '3des-cbc', encryptionKey: keys.encryptionKey },
      chains,
      ike.messageId,
      ike.message.subarray(ISAKMP_HEADER_LENGTH),
    );
    if (!decrypted.ok) throw new Error(`frame ${ike.datagram.frame}: ${decrypted.problem}`);
    chains = decrypted.ivChains;
    const payloads = walkPayloads(ike.message[16]!, decrypted.plaintext);
    const [hashPayload] = payloads;
    if (hashPayload === undefined || hashPayload.type !== PAYLOAD.hash) throw new Error(`frame ${ike.datagram.frame}: no leading HASH`);
    const afterHash = decrypted.plaintext.subarray(hashPayload.end, payloads[payloads.length - 1]!.end);
    let expected: Buffer;
    switch (ike.exchange) {
      case EXCHANGE.aggressive:
        expected = computeHashI(authContext, bodyOf(capture.message1, PAYLOAD.id));
        break;
      case EXCHANGE.informational:
      case EXCHANGE.transaction:
        expected = computeMessageHash('sha1', keys.skeyidA, ike.messageId, afterHash);
        break;
      case EXCHANGE.quickMode: {
        const earlier = quickModeMessages.get(ike.messageId) ?? [];
        quickModeMessages.set(ike.messageId, [...earlier, payloads]);
        const [first, second] = earlier;
        if (first === undefined) expected = computeQuickModeHash1('sha1', keys.skeyidA, ike.messageId, afterHash);
        else if (second === undefined) {
          expected = computeQuickModeHash2('sha1', keys.skeyidA, ike.messageId, bodyOf(first, PAYLOAD.nonce), afterHash);
        } else {
          expected = computeQuickModeHash3('sha1', keys.skeyidA, ike.messageId, bodyOf(first, PAYLOAD.nonce), bodyOf(second, PAYLOAD.nonce));
        }
        break;
      }
      default:
        throw new Error(`frame ${ike.datagram.frame}: unexpected exchange ${ike.exchange}`);
    }
    messages.push({
      frame: ike.datagram.frame,
      exchange: ike.exchange,
      messageId: ike.messageId,
      payloads,
      hashVerified: expected.equals(hashPayload.body),
    });
  }
  return { messages, chains };
}

/** The SPI of the single proposal in a QM SA body: DOI(4) situation(4) | proposal header(4) | #, proto, SPI size, #transforms | SPI. */
function quickModeSpi(saBody: Buffer): Buffer {
  if (saBody[14] !== 4) throw new Error('expected a 4-byte SPI');
  return saBody.subarray(16, 20);
}

describe.each(['strongswan-push', 'strongswan-pull', 'vpnc-0.5.3'])('capture %s', (name) => {
  const capture = loadCapture(name);

  it('derives SKEYID, SKEYID_d/a/e and Ka from g^xy, the PSK and the nonces and cookies of messages 1-2', () => {
    const { keys, ikeSa } = capture;
    const hexOf = (key: keyof Phase1Keys) => keys[key].toString('hex');
    expect({ skeyid: hexOf('skeyid'), skeyidD: hexOf('skeyidD'), skeyidA: hexOf('skeyidA'), skeyidE: hexOf('skeyidE'), ka: hexOf('encryptionKey') }).toEqual({
      skeyid: ikeSa.skeyid,
      skeyidD: ikeSa.skeyid_d,
      skeyidA: ikeSa.skeyid_a,
      skeyidE: ikeSa.skeyid_e,
      ka: ikeSa.ka,
    });
    expect(capture.authContext.initiatorCookie.toString('hex')).toBe(ikeSa.initiator_cookie);
  });

  it('verifies HASH_R of message 2 from the raw SAi_b, IDir_b and KE bodies', () => {
    expect(computeHashR(capture.authContext, bodyOf(capture.message2, PAYLOAD.id))).toEqual(bodyOf(capture.message2, PAYLOAD.hash));
  });

  it('computes the logged IV0 from the two KE bodies', () => {
    const { authContext, ikeSa } = capture;
    const chains = createIvChains('sha1', 8, authContext.initiatorPublicValue, authContext.responderPublicValue);
    expect(chains.phase1.block.toString('hex')).toBe(ikeSa.iv0);
  });

  it('decrypts every encrypted message on its IV chain, each led by a HASH that verifies', () => {
    const { messages } = decryptAll(capture);
    expect(messages).toHaveLength(capture.ike.length - 2);
    expect(messages.filter((message) => !message.hashVerified).map((message) => message.frame)).toEqual([]);
    expect(messages[0]?.exchange).toBe(EXCHANGE.aggressive);
  });

  it('takes the Phase 2 IVs from the last block of the encrypted Aggressive Mode message 3', () => {
    const { chains } = decryptAll(capture);
    expect(chains.phase1.source).toBe('last-ciphertext-block');
    expect(chains.phase1.encryptedMessages).toBe(1);
    const message3 = capture.ike[2]!.message;
    expect(chains.phase1.block).toEqual(message3.subarray(message3.length - 8));
  });

  it('the responder’s first NAT-D payload hashes the destination address and port of message 2', () => {
    const { datagram } = capture.ike[1]!;
    const firstNatD = bodyOf(capture.message2, PAYLOAD.natD);
    const destination = Buffer.from(datagram.dstAddress.split('.').map(Number));
    const { initiatorCookie, responderCookie } = capture.authContext;
    expect(computeNatDiscoveryHash('sha1', initiatorCookie, responderCookie, destination, datagram.dstPort)).toEqual(firstNatD);
  });
});

describe.each(['strongswan-push', 'strongswan-pull'])('capture %s: Quick Mode keys', (name) => {
  const capture = loadCapture(name);

  it('keys the captured ESP packets: the ICV verifies and the payload decrypts to an IPv4 packet', () => {
    const quickMode = decryptAll(capture).messages.filter((message) => message.exchange === EXCHANGE.quickMode);
    const [request, response] = quickMode;
    if (request === undefined || response === undefined) throw new Error('no Quick Mode exchange');
    const initiatorSpi = quickModeSpi(bodyOf(request.payloads, PAYLOAD.sa));
    const responderSpi = quickModeSpi(bodyOf(response.payloads, PAYLOAD.sa));
    const childSa = capture.keysJson.child_sas_seen_by_this_side[0]!;
    expect({ in: responderSpi.toString('hex'), out: initiatorSpi.toString('hex') }).toEqual({ in: childSa.spi_in, out: childSa.spi_out });

    const keys = deriveQuickModeKeys({
      hash: 'sha1',
      skeyidD: capture.keys.skeyidD,
      protocol: 'esp',
      encryption: '3des-cbc',
      integrity: 'hmac-sha1-96',
      initiatorSpi,
      responderSpi,
      initiatorNonce: bodyOf(request.payloads, PAYLOAD.nonce),
      responderNonce: bodyOf(response.payloads, PAYLOAD.nonce),
    });
    const espPackets = capture.datagrams.flatMap((datagram) => (datagram.content.kind === 'esp' ? [datagram.content.packet] : []));
    expect(espPackets.length).toBeGreaterThan(0);
    for (const packet of espPackets) {
      // Every ESP packet here goes client -> responder, so it carries the responder's SPI.
      expect(packet.subarray(0, 4)).toEqual(keys.initiatorToResponder.spi);
      const icv = packet.subarray(packet.length - 12);
      const authenticated = packet.subarray(0, packet.length - 12);
      expect(prf('sha1', keys.initiatorToResponder.integrityKey, authenticated).subarray(0, 12)).toEqual(icv);
      const decrypted = decryptCbc('3des-cbc', keys.initiatorToResponder.encryptionKey, packet.subarray(8, 16), authenticated.subarray(16));
      expect(decrypted.ok).toBe(true);
      if (!decrypted.ok) return;
      expect(decrypted.plaintext[0]! >> 4).toBe(4); // inner IPv4 header
      expect(decrypted.plaintext[decrypted.plaintext.length - 1]).toBe(4); // next header: IPv4 (tunnel mode)
    }
  });
});
