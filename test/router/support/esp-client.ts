import {
  createEspSa,
  createInboundSa,
  createOutboundSa,
  NextHeader,
  receiveEspPacket,
  sendEspPacket,
  type InboundOutcome,
  type InboundSaState,
  type OutboundSaState,
} from '../../../src/esp/index.js';
import type { SaDirectionKeys } from '../../../src/ike/crypto/index.js';
import type { Endpoint, InstalledIpsecSa } from '../../../src/ike-responder/port.js';

// A tunnel client for data-plane tests: an SA pair keyed as Quick Mode would have keyed it, and
// the client's halves built from the same keys with the real ESP core (its outbound is the
// router's inbound and the other way round).

const hexKey = (seed: number, length: number): Buffer => Buffer.from(Array.from({ length }, (_, i) => (seed * 31 + i * 7) & 0xff));

function directionKeys(spi: number, seed: number): SaDirectionKeys {
  const spiBytes = Buffer.alloc(4);
  spiBytes.writeUInt32BE(spi);
  return { spi: spiBytes, encryptionKey: hexKey(seed, 24), integrityKey: hexKey(seed + 1, 20) };
}

export interface ClientSpec {
  readonly tunnelId: number;
  /** The SPI the router chose (client -> router) and the one the client chose (router -> client). */
  readonly routerSpi: number;
  readonly clientSpi: number;
  readonly internalAddress?: string;
  readonly peer: Endpoint;
  readonly local?: Endpoint;
  readonly now: number;
}

/** What the responder would have announced for this client: 3DES-CBC with HMAC-SHA1-96, ESP in UDP. */
export function installedSa(spec: ClientSpec): InstalledIpsecSa {
  return {
    tunnelId: spec.tunnelId,
    gatewayId: spec.tunnelId,
    peer: spec.peer,
    local: spec.local ?? { address: '127.0.0.1', port: 4500 },
    udpEncapsulated: true,
    encryption: '3des-cbc',
    integrity: 'hmac-sha1-96',
    inbound: directionKeys(spec.routerSpi, spec.tunnelId * 2),
    outbound: directionKeys(spec.clientSpi, spec.tunnelId * 2 + 1),
    lifeSeconds: 28800,
    establishedAt: spec.now,
    ...(spec.internalAddress === undefined ? {} : { internalAddress: spec.internalAddress }),
  };
}

/** The client's end of the pair. */
export class EspClient {
  private outbound: OutboundSaState;
  private inbound: InboundSaState;

  constructor(readonly installed: InstalledIpsecSa) {
    const transform = { encryption: installed.encryption, integrity: installed.integrity };
    const lifetime = { seconds: installed.lifeSeconds };
    this.outbound = createOutboundSa(createEspSa(transform, installed.inbound), { lifetime, now: installed.establishedAt });
    this.inbound = createInboundSa(createEspSa(transform, installed.outbound), { lifetime, now: installed.establishedAt });
  }

  /** ESP carrying `innerPacket` to the router, with the next sequence number. */
  seal(innerPacket: Buffer, now: number): Buffer {
    const step = sendEspPacket(this.outbound, innerPacket, NextHeader.IPV4, now);
    this.outbound = step.state;
    if (step.outcome.kind !== 'sealed') throw new Error(`client SA refused: ${step.outcome.reason}`);
    return step.outcome.packet;
  }

  /** Opens ESP the router sent to this client. */
  open(esp: Buffer, now: number): InboundOutcome {
    const step = receiveEspPacket(this.inbound, esp, now);
    this.inbound = step.state;
    return step.outcome;
  }
}
