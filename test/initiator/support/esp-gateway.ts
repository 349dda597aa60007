/**
 * An RTX-shaped gateway on 127.0.0.1 that also carries ESP, for the initiator's data-path tests.
 * IKE from the tiny responder (Aggressive Mode, an XAUTH REQUEST and STATUS, an optional mode-cfg
 * SET, Quick Mode message 2); ESP from src/esp with keys derived on the responder's side
 * (`keymat`), never from the initiator's result. Its ESP peer answers pings to its own inner
 * addresses, or stays silent, or tampers with its replies, as a test asks.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { attributePayload, decodeHeader, emptyAttribute, ipv4Attribute, tvAttribute } from '../../../src/ike/codec/index.js';
import { CfgType, ExchangeType, ModeCfgAttribute } from '../../../src/ike/constants.js';
import type { IvChains } from '../../../src/ike/crypto/index.js';
import {
  NextHeader,
  createEspSa,
  createInboundSa,
  createOutboundSa,
  readEspHeader,
  receiveEspPacket,
  sendEspPacket,
  type EspTransform,
  type InboundSaState,
  type OutboundSaState,
} from '../../../src/esp/index.js';
import { answerIcmpEcho, decodeIpv4Packet } from '../../../src/esp/ip/index.js';
import { STRONGSWAN_PUSH_MODE_CFG } from '../../../src/initiator/mode-cfg.js';
import type { TunnelOptions } from '../../../src/initiator/tunnel-options.js';
import { seedClientOptions } from './fixtures.js';
import { answerAggressive1, answerQuickMode1, openFromInitiator, readAggressive3, sealResponderMessage, type TinyResponderSa } from './tiny-responder.js';

const A = ModeCfgAttribute;
const MARKER = Buffer.alloc(4);
const XAUTH_REQUEST_ID = 0x1001;
const XAUTH_STATUS_ID = 0x1002;
const MODE_CFG_SET_ID = 0x1003;
/** 3DES-CBC and HMAC-SHA1-96, the seed's `ipsec sa policy 101 1 esp 3des-cbc sha-hmac`. */
const TRANSFORM: EspTransform = { encryption: '3des-cbc', integrity: 'hmac-sha1-96' };
const KEYMAT_LENGTH = 24 + 20;

export interface EspGatewayBehaviour {
  /** Push INTERNAL_IP4_ADDRESS 10.1.1.110 in a mode-cfg SET (default); off: no mode-cfg at all. */
  pushAddress?: boolean;
  /** `echo` (default): answer ICMP echo to `ownAddresses`; `silent`: read ESP, answer nothing. */
  esp?: 'echo' | 'silent';
  ownAddresses?: readonly string[];
  /** Flip one bit of the ciphertext of these replies (1-based count of replies sent). */
  tamperReplies?: readonly number[];
  /** Send every reply twice: the same ESP packet (a replay), or the inner reply sealed again (a duplicate ping reply). */
  duplicateReplies?: 'same-packet' | 'resealed';
}

export interface InnerSeen {
  source: string;
  destination: string;
  protocol: number;
}

export async function startEspGateway(behaviour: EspGatewayBehaviour = {}) {
  const bind = (socket: Socket) => new Promise<number>((resolve) => socket.bind(0, '127.0.0.1', () => resolve(socket.address().port)));
  const ike = createSocket('udp4');
  const natT = createSocket('udp4');
  const [port, natTPort] = await Promise.all([bind(ike), bind(natT)]);
  const ownAddresses = new Set(behaviour.ownAddresses ?? ['10.1.1.1']);
  let sa: TinyResponderSa | undefined;
  const sentChains = new Map<number, IvChains>();
  let quickMode: ReturnType<typeof answerQuickMode1> | undefined;
  let esp: { inbound: InboundSaState; outbound: OutboundSaState } | undefined;
  const innerSeen: InnerSeen[] = [];
  const espDrops: string[] = [];
  let repliesSent = 0;

  const reply = (path: 'isakmp' | 'nat-t', to: RemoteInfo, bytes: Buffer) =>
    path === 'nat-t' ? natT.send(Buffer.concat([MARKER, bytes]), to.port, to.address) : ike.send(bytes, to.port, to.address);
  const sendTransaction = (path: 'isakmp' | 'nat-t', to: RemoteInfo, messageId: number, cfgType: number, attributes: Parameters<typeof attributePayload>[1]) => {
    const sealed = sealResponderMessage(sa!, sa!.ivChains, ExchangeType.TRANSACTION, messageId, [attributePayload(cfgType, attributes)]);
    sentChains.set(messageId, sealed.ivChains);
    reply(path, to, sealed.bytes);
  };
  const installEsp = (qm: ReturnType<typeof answerQuickMode1>) => {
    const keysFor = (spi: Buffer) => {
      const keymat = qm.keymat(spi, KEYMAT_LENGTH);
      return { spi, encryptionKey: keymat.subarray(0, 24), integrityKey: keymat.subarray(24) };
    };
    const now = Date.now();
    esp = {
      inbound: createInboundSa(createEspSa(TRANSFORM, keysFor(qm.responderSpi)), { lifetime: {}, now }),
      outbound: createOutboundSa(createEspSa(TRANSFORM, keysFor(qm.initiatorSpi)), { lifetime: {}, now }),
    };
  };

  const handleIke = (bytes: Buffer, path: 'isakmp' | 'nat-t', from: RemoteInfo) => {
    const header = decodeHeader(bytes);
    if (!header.ok) return;
    const { exchangeType, messageId, responderCookie } = header.value;
    if (exchangeType === ExchangeType.AGGRESSIVE && responderCookie.equals(Buffer.alloc(8))) {
      const answer = answerAggressive1(bytes, {
        preSharedKey: Buffer.from('PSKEY1'),
        identity: { kind: 'ipv4-address', address: '127.0.0.1' },
        vendorIds: ['NAT_T_RFC3947'],
        natD: { initiatorSeenAt: { address: from.address, port: from.port }, responderAt: { address: '127.0.0.1', port } },
      });
      sa = answer.sa;
      return reply(path, from, answer.message2);
    }
    if (exchangeType === ExchangeType.AGGRESSIVE) {
      sa = { ...sa!, ivChains: readAggressive3(sa!, bytes).ivChains };
      return sendTransaction(path, from, XAUTH_REQUEST_ID, CfgType.REQUEST, [emptyAttribute(A.XAUTH_USER_NAME), emptyAttribute(A.XAUTH_USER_PASSWORD)]);
    }
    if (exchangeType === ExchangeType.TRANSACTION) {
      openFromInitiator(sa!, sentChains.get(messageId) ?? sa!.ivChains, bytes);
      if (messageId === XAUTH_REQUEST_ID) return sendTransaction(path, from, XAUTH_STATUS_ID, CfgType.SET, [tvAttribute(A.XAUTH_STATUS, 1)]);
      if (messageId === XAUTH_STATUS_ID && (behaviour.pushAddress ?? true)) {
        return sendTransaction(path, from, MODE_CFG_SET_ID, CfgType.SET, [ipv4Attribute(A.INTERNAL_IP4_ADDRESS, '10.1.1.110'), ipv4Attribute(A.INTERNAL_IP4_NETMASK, '255.255.255.0')]);
      }
      return;
    }
    if (exchangeType === ExchangeType.QUICK_MODE) {
      if (!quickMode) {
        quickMode = answerQuickMode1(sa!, sa!.ivChains, bytes);
        return reply(path, from, quickMode.message2);
      }
      if (quickMode.readMessage3(bytes).hash3Verifies) installEsp(quickMode);
    }
  };

  const handleEsp = (packet: Buffer, from: RemoteInfo) => {
    if (!esp || readEspHeader(packet)?.spi !== esp.inbound.sa.spi) return void espDrops.push('unknown-spi');
    const received = receiveEspPacket(esp.inbound, packet, Date.now());
    esp.inbound = received.state;
    if (received.outcome.kind !== 'delivered') return void espDrops.push(received.outcome.kind === 'dropped' ? received.outcome.reason : 'dummy');
    const inner = decodeIpv4Packet(received.outcome.packet);
    if (inner.ok) innerSeen.push({ source: inner.packet.header.source, destination: inner.packet.header.destination, protocol: inner.packet.header.protocol });
    if ((behaviour.esp ?? 'echo') === 'silent') return;
    const answer = answerIcmpEcho(received.outcome.packet, ownAddresses, { ttl: 255 });
    if (answer.kind !== 'reply') return;
    const bytes = sealReply(answer.packet);
    if (bytes === undefined) return;
    repliesSent++;
    // A bit of the ciphertext, well before the ICV: only the integrity check can catch it.
    if (behaviour.tamperReplies?.includes(repliesSent)) bytes[20] = bytes[20]! ^ 0x01;
    natT.send(bytes, from.port, from.address);
    if (behaviour.duplicateReplies === 'same-packet') natT.send(bytes, from.port, from.address);
    if (behaviour.duplicateReplies === 'resealed') natT.send(sealReply(answer.packet)!, from.port, from.address);
  };
  const sealReply = (inner: Buffer): Buffer | undefined => {
    const sealed = sendEspPacket(esp!.outbound, inner, NextHeader.IPV4, Date.now());
    esp!.outbound = sealed.state;
    return sealed.outcome.kind === 'sealed' ? Buffer.from(sealed.outcome.packet) : undefined;
  };

  ike.on('message', (bytes, from) => handleIke(bytes, 'isakmp', from));
  natT.on('message', (datagram, from) => {
    if (datagram.length >= 4 && datagram.subarray(0, 4).equals(MARKER)) handleIke(datagram.subarray(4), 'nat-t', from);
    else if (!(datagram.length === 1 && datagram[0] === 0xff)) handleEsp(datagram, from);
  });
  return {
    port,
    natTPort,
    /** Decrypted inner packets the ESP peer received, in order. */
    innerSeen,
    espDrops,
    quickMode: () => quickMode,
    /** True once Quick Mode message 3 verified and the ESP SAs are in (the client may be ahead of us). */
    espInstalled: () => esp !== undefined,
    /** Sends raw bytes to the client's NAT-T socket, as if ESP (no marker). */
    sendRaw: (bytes: Buffer, to: { address: string; port: number }) => natT.send(bytes, to.port, to.address),
    /** Seals an inner packet on the gateway's outbound SA and sends it, unasked. */
    sendInner: (inner: Buffer, to: { address: string; port: number }) => {
      const sealed = sendEspPacket(esp!.outbound, inner, NextHeader.IPV4, Date.now());
      esp!.outbound = sealed.state;
      if (sealed.outcome.kind === 'sealed') natT.send(sealed.outcome.packet, to.port, to.address);
      return sealed.outcome.kind === 'sealed' ? sealed.outcome.packet : undefined;
    },
    close: () => Promise.all([ike, natT].map((socket) => new Promise<void>((done) => socket.close(() => done())))),
  };
}

export type EspGateway = Awaited<ReturnType<typeof startEspGateway>>;

/** Short waits: everything is on 127.0.0.1. */
export const FAST_TUNNEL_TIMING = { retransmitTimeoutsMs: [100, 100, 100], message3QuietMs: 200, peerWaitMs: 300 };

/** The seed's client under NAT-T: XAUTH, the pushed address as IDci, 3DES/SHA1 ESP to 10.1.1.0/24. */
export const PUSHED_ADDRESS_CLIENT: TunnelOptions = {
  phase1: seedClientOptions({ vendorIds: ['XAUTH', 'DPD', 'NAT_T_RFC3947'], natTraversal: 'force' }),
  xauth: { credentials: { userName: 'user1', password: 'password' } },
  modeCfg: STRONGSWAN_PUSH_MODE_CFG,
  quickMode: {
    proposals: [{ encryption: '3des-cbc', integrity: 'hmac-sha1-96' }],
    lifeSeconds: 28800,
    localId: { kind: 'mode-cfg-address' },
    remoteId: { kind: 'ipv4-subnet', address: '10.1.1.0', netmask: '255.255.255.0' },
  },
};
