/**
 * The real exchanges of test/fixtures/captures as the initiator sees them: the ISAKMP SA the
 * client held after message 3 (keys from keys.json, IV chains advanced past the encrypted
 * message 3) and every later message decrypted on its own M-ID's chain, so a test can feed our
 * functions the gateway's real bytes and compare our answers with the client's real bytes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeMessage, decodePayloadChain, readIdentity, type DecodedPayload, type IsakmpHeader } from '../../../src/ike/codec/index.js';
import { advanceIvChains, createIvChains, decryptMessageBody, derivePhase1Keys, type IvChains } from '../../../src/ike/crypto/index.js';
import type { IsakmpSa } from '../../../src/initiator/index.js';
import { capturesDir } from '../../support/paths.js';
import { readUdpCapture } from '../../support/pcap.js';

export type CaptureName = 'strongswan-push' | 'strongswan-pull' | 'vpnc-0.5.3';

export interface CapturedMessage {
  /** 1-based, as tshark and summary.tsv number frames. */
  readonly frame: number;
  readonly fromClient: boolean;
  readonly bytes: Buffer;
  readonly header: IsakmpHeader;
  /** Decrypted (or cleartext) payloads. */
  readonly payloads: readonly DecodedPayload[];
  /** The decrypted payload chain and padding, for byte-exact comparisons. */
  readonly plaintext?: Buffer;
}

export interface LoadedCapture {
  /** The client's ISAKMP SA right after message 3. */
  readonly sa: IsakmpSa;
  readonly messages: readonly CapturedMessage[];
  message(frame: number): CapturedMessage;
}

interface KeysJson {
  ike_sas: { gxy: string; ka: string }[];
  secrets: { psk: string };
}

export function loadCapture(name: CaptureName): LoadedCapture {
  const folder = join(capturesDir, name);
  const keysJson = JSON.parse(readFileSync(join(folder, 'keys.json'), 'utf8')) as KeysJson;
  const datagrams = readUdpCapture(join(folder, 'capture.pcap')).flatMap((datagram) =>
    datagram.content.kind === 'ike' ? [{ datagram, bytes: datagram.content.message }] : [],
  );
  const clientAddress = datagrams[0]!.datagram.srcAddress;
  const cleartext = (index: number) => {
    const decoded = decodeMessage(datagrams[index]!.bytes);
    if (!decoded.ok || decoded.value.kind !== 'cleartext') throw new Error(`${name}: message ${index + 1} is not cleartext`);
    return decoded.value;
  };
  const message1 = cleartext(0);
  const message2 = cleartext(1);
  const body = <K extends DecodedPayload['type']>(payloads: readonly DecodedPayload[], type: K) =>
    payloads.find((payload): payload is Extract<DecodedPayload, { type: K }> => payload.type === type)!;
  const initiatorCookie = message1.header.initiatorCookie;
  const responderCookie = message2.header.responderCookie;
  const keys = derivePhase1Keys({
    hash: 'sha1',
    preSharedKey: Buffer.from(keysJson.secrets.psk),
    initiatorNonce: body(message1.payloads, 'nonce').nonce,
    responderNonce: body(message2.payloads, 'nonce').nonce,
    sharedSecret: Buffer.from(keysJson.ike_sas[0]!.gxy, 'hex'),
    initiatorCookie,
    responderCookie,
    encryptionKeyLength: 24,
  });
  let chains: IvChains = createIvChains('sha1', 8, body(message1.payloads, 'ke').keyData, body(message2.payloads, 'ke').keyData);
  const saCipher = { cipher: '3des-cbc' as const, encryptionKey: keys.encryptionKey };
  const messages: CapturedMessage[] = [];
  let sa: IsakmpSa | undefined;
  for (const { datagram, bytes } of datagrams) {
    const decoded = decodeMessage(bytes);
    if (!decoded.ok) throw new Error(`${name} frame ${datagram.frame}: ${decoded.error.text}`);
    const fromClient = datagram.srcAddress === clientAddress;
    if (decoded.value.kind === 'cleartext') {
      messages.push({ frame: datagram.frame, fromClient, bytes, header: decoded.value.header, payloads: decoded.value.payloads });
      continue;
    }
    const { header } = decoded.value;
    const decrypted = decryptMessageBody(saCipher, chains, header.messageId, decoded.value.encryptedBody);
    if (!decrypted.ok) throw new Error(`${name} frame ${datagram.frame}: not whole blocks`);
    chains = decrypted.ivChains;
    const chain = decodePayloadChain(header.nextPayload, decrypted.plaintext);
    if (!chain.ok) throw new Error(`${name} frame ${datagram.frame}: ${chain.error.text}`);
    messages.push({ frame: datagram.frame, fromClient, bytes, header, payloads: chain.value.payloads, plaintext: decrypted.plaintext });
    if (header.messageId === 0) {
      // Message 3: the SA as the client held it from here on.
      const identity = readIdentity(body(message2.payloads, 'id').idType, body(message2.payloads, 'id').data);
      sa = {
        initiatorCookie,
        responderCookie,
        negotiated: { transformNumber: 1, proposal: { encryption: '3des-cbc', hash: 'sha1', group: 2, authMethod: 'xauth-init-pre-shared' } },
        hash: 'sha1',
        saCipher,
        keys,
        ivChains: advanceIvChains(createIvChains('sha1', 8, body(message1.payloads, 'ke').keyData, body(message2.payloads, 'ke').keyData), 0, decoded.value.encryptedBody),
        natTraversal: { method: 'rfc3947', floated: true },
        responderIdentity: identity.ok ? identity.value : { kind: 'other', idType: 0, data: Buffer.alloc(0) },
        responderVendorIds: [],
        message3Encrypted: true,
      };
    }
  }
  if (!sa) throw new Error(`${name}: no encrypted message 3`);
  return {
    sa,
    messages,
    message(frame) {
      const found = messages.find((message) => message.frame === frame);
      if (!found) throw new Error(`${name}: no IKE message in frame ${frame}`);
      return found;
    },
  };
}

/** The ATTR payload of a decrypted Transaction message. */
export function attributesOf(message: CapturedMessage) {
  const attributes = message.payloads.find((payload) => payload.type === 'attributes');
  if (attributes?.type !== 'attributes') throw new Error(`frame ${message.frame} has no ATTR payload`);
  return attributes;
}
