// The ESP SAs of a real capture (test/fixtures/captures), keyed the way
// test/ike/crypto/captures.test.ts keys them: Phase 1 keys from the logged g^xy, the PSK and
// messages 1-2; every encrypted message decrypted on its IV chain; the Quick Mode SPIs, nonces
// and chosen transform read from the decrypted Quick Mode; KEYMAT from deriveQuickModeKeys. Here
// the ISAKMP codec reads the payloads instead of a hand-written walker.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeMessage, decodePayloadChain, readIpsecTransform, type DecodedPayload, type SaPayload } from '../../../src/ike/codec/index.js';
import {
  createIvChains,
  decryptMessageBody,
  derivePhase1Keys,
  deriveQuickModeKeys,
  espEncryptionFromTransform,
  espIntegrityFromAttribute,
} from '../../../src/ike/crypto/index.js';
import { createEspSa, type EspSa, type EspTransform } from '../../../src/esp/index.js';
import { capturesDir } from '../../support/paths.js';
import { readUdpCapture, type CapturedDatagram } from '../../support/pcap.js';

const QUICK_MODE = 32;

interface KeysJson {
  ike_sas: { gxy: string }[];
  secrets: { psk: string };
}

export interface CapturedEspPacket {
  readonly datagram: CapturedDatagram;
  readonly packet: Buffer;
}

export interface CapturedEsp {
  readonly transform: EspTransform;
  /** Quick Mode initiator (the client) -> responder, and back. */
  readonly initiatorToResponder: EspSa;
  readonly responderToInitiator: EspSa;
  readonly espPackets: readonly CapturedEspPacket[];
  readonly clientAddress: string;
  readonly responderAddress: string;
}

function payloadOf<Kind extends DecodedPayload['type']>(payloads: readonly DecodedPayload[], kind: Kind): Extract<DecodedPayload, { type: Kind }> {
  const payload = payloads.find((candidate) => candidate.type === kind);
  if (payload === undefined) throw new Error(`no ${kind} payload`);
  return payload as Extract<DecodedPayload, { type: Kind }>;
}

function expectOk<T>(result: { ok: true; value: T } | { ok: false; error: unknown }): T {
  if (!result.ok) throw new Error(`decode failed: ${JSON.stringify(result.error)}`);
  return result.value;
}

function onlyProposal(sa: SaPayload) {
  const [proposal] = sa.proposals;
  if (proposal === undefined || proposal.spi.length !== 4) throw new Error('expected one ESP proposal with a 4-byte SPI');
  return proposal;
}

export function loadCapturedEsp(name: string): CapturedEsp {
  const folder = join(capturesDir, name);
  const keysJson = JSON.parse(readFileSync(join(folder, 'keys.json'), 'utf8')) as KeysJson;
  const datagrams = readUdpCapture(join(folder, 'capture.pcap'));
  const ike = datagrams.flatMap((datagram) => (datagram.content.kind === 'ike' ? [{ datagram, message: expectOk(decodeMessage(datagram.content.message)) }] : []));
  const [first, second] = ike;
  if (first?.message.kind !== 'cleartext' || second?.message.kind !== 'cleartext') throw new Error(`${name}: Aggressive Mode 1-2 not in clear`);

  const phase1 = derivePhase1Keys({
    hash: 'sha1',
    preSharedKey: Buffer.from(keysJson.secrets.psk),
    initiatorNonce: payloadOf(first.message.payloads, 'nonce').nonce,
    responderNonce: payloadOf(second.message.payloads, 'nonce').nonce,
    sharedSecret: Buffer.from(keysJson.ike_sas[0]!.gxy, 'hex'),
    initiatorCookie: first.message.header.initiatorCookie,
    responderCookie: second.message.header.responderCookie,
    encryptionKeyLength: 24,
  });
  let chains = createIvChains('sha1', 8, payloadOf(first.message.payloads, 'ke').keyData, payloadOf(second.message.payloads, 'ke').keyData);

  const quickMode: DecodedPayload[][] = [];
  for (const { message } of ike) {
    if (message.kind !== 'encrypted') continue;
    const decrypted = decryptMessageBody({ cipher: '3des-cbc', encryptionKey: phase1.encryptionKey }, chains, message.header.messageId, message.encryptedBody);
    if (!decrypted.ok) throw new Error(`${name}: ${decrypted.problem}`);
    chains = decrypted.ivChains;
    if (message.header.exchangeType === QUICK_MODE) quickMode.push(expectOk(decodePayloadChain(message.header.nextPayload, decrypted.plaintext)).payloads);
  }
  const [request, response] = quickMode;
  if (request === undefined || response === undefined) throw new Error(`${name}: no Quick Mode request and response`);

  const chosen = onlyProposal(payloadOf(response, 'sa'));
  const [chosenTransform] = chosen.transforms;
  if (chosenTransform === undefined) throw new Error(`${name}: no transform in the Quick Mode reply`);
  const values = readIpsecTransform(chosenTransform);
  const encryption = espEncryptionFromTransform(chosenTransform.transformId, values.keyLength);
  const integrity = espIntegrityFromAttribute(values.authAlgorithm);
  if (encryption === undefined || integrity === undefined) throw new Error(`${name}: transform not supported`);
  const transform: EspTransform = { encryption, integrity };

  const keys = deriveQuickModeKeys({
    hash: 'sha1',
    skeyidD: phase1.skeyidD,
    protocol: 'esp',
    encryption,
    integrity,
    initiatorSpi: onlyProposal(payloadOf(request, 'sa')).spi,
    responderSpi: chosen.spi,
    initiatorNonce: payloadOf(request, 'nonce').nonce,
    responderNonce: payloadOf(response, 'nonce').nonce,
  });
  const espPackets = datagrams.flatMap((datagram) => (datagram.content.kind === 'esp' ? [{ datagram, packet: datagram.content.packet }] : []));
  return {
    transform,
    initiatorToResponder: createEspSa(transform, keys.initiatorToResponder),
    responderToInitiator: createEspSa(transform, keys.responderToInitiator),
    espPackets,
    clientAddress: first.datagram.srcAddress,
    responderAddress: first.datagram.dstAddress,
  };
}
