/**
 * Traffic through a kept tunnel: inner IPv4 packets sealed as ESP and sent in UDP to the
 * gateway's NAT-T port (RFC 3948), ESP from the NAT-T socket opened and handed to listeners.
 * The SA state lives here as a value (esp-tunnel-state.ts) replaced at every packet; this module
 * only adds the socket path, the clock and the listeners.
 */
import type { InboundCounters, OutboundCounters, OutboundRefusal, SealOptions } from '../esp/index.js';
import { createEspTunnelState, espTunnelDrops, openGatewayPacket, sealInnerPacket, type EspTunnelDropReason, type EspTunnelState, type EspTunnelStateOptions } from './esp-tunnel-state.js';
import type { ModeCfgConfig } from './mode-cfg.js';
import type { EspSaPair } from '../ike/initiator/quick-mode.js';
import type { OpenTunnel } from './tunnel-session.js';
import type { EspDatagramPath } from './udp-transport.js';

/** What openEspChannel needs of an established `runTunnelSession` result. */
export interface EstablishedEspTunnel {
  readonly espSas?: EspSaPair;
  readonly modeCfg?: ModeCfgConfig;
  readonly tunnel?: OpenTunnel;
}

export interface EspChannelOptions extends EspTunnelStateOptions {
  /** Our inner source address; default the mode-cfg address, else Quick Mode's IPv4 IDci. */
  readonly innerAddress?: string;
  /** Milliseconds since the epoch, for SA lifetimes; Date.now by default. */
  readonly clock?: () => number;
  /**
   * Hold inner packets both ways to Quick Mode's IDci/IDcr (RFC 4301 §5.1, §5.2); default on.
   * Off lets a test send what a broken client would, for the gateway to drop.
   */
  readonly enforceSelectors?: boolean;
  /**
   * For an SA pair agreed without UDP encapsulation: the IP protocol 50 path to send and hear ESP
   * on (openRawEspPath, root). Without it such a tunnel is refused as `raw-esp-unsupported`.
   */
  readonly rawEspPath?: EspDatagramPath;
}

export type EspChannelProblem =
  | { readonly kind: 'not-kept'; readonly text: string }
  | { readonly kind: 'no-esp-sas'; readonly text: string }
  /** Raw ESP (IP protocol 50) was agreed and no raw path was given (node:dgram cannot carry it). */
  | { readonly kind: 'raw-esp-unsupported'; readonly text: string }
  | { readonly kind: 'no-nat-t-path'; readonly text: string }
  | { readonly kind: 'no-inner-address'; readonly text: string }
  | { readonly kind: 'unusable-sa'; readonly text: string };

export type EspChannelResult = { readonly ok: true; readonly channel: EspChannel } | { readonly ok: false; readonly problem: EspChannelProblem };

/** One decrypted inner packet from the gateway. */
export interface InnerPacket {
  readonly packet: Buffer;
  /** 4 for IPv4, 41 for IPv6 (RFC 4303 §2.6). */
  readonly nextHeader: number;
  readonly sequenceNumber: number;
}

export type EspSendOutcome =
  | { readonly kind: 'sent'; readonly sequenceNumber: number; readonly bytes: number }
  /** The SA may not send (lifetime, sequence counter), the channel is closed, or the socket failed. */
  | { readonly kind: 'refused'; readonly reason: OutboundRefusal | 'outside-selectors' | 'channel-closed' | 'socket-closed' | 'send-failed' };

export interface EspChannelCounters {
  readonly outbound: OutboundCounters;
  readonly inbound: InboundCounters;
  readonly drops: Readonly<Record<EspTunnelDropReason, number>>;
}

export interface EspChannel {
  readonly innerAddress: string;
  readonly espSas: EspSaPair;
  /** Seals `innerPacket` (an IPv4 packet from innerAddress) and sends it to the gateway. */
  send(innerPacket: Buffer, options?: SealOptions): Promise<EspSendOutcome>;
  /** Listens for decrypted inner packets; returns the unsubscribe. */
  onInnerPacket(listener: (inner: InnerPacket) => void): () => void;
  counters(): EspChannelCounters;
  /** Stops listening; later sends are refused. The tunnel itself stays up (close it there). */
  close(): void;
  /** True once closed, by `close` or because the tunnel ended. */
  readonly closed: boolean;
}

/**
 * Installs the SA pair of an established, kept tunnel on its NAT-T socket (or, for raw ESP, on the
 * raw path given). Refuses (typed, no throw) what this client cannot carry: a tunnel not kept, no
 * Quick Mode, raw ESP without a raw path, no inner address.
 */
export function openEspChannel(established: EstablishedEspTunnel, options: EspChannelOptions = {}): EspChannelResult {
  const refuse = (problem: EspChannelProblem): EspChannelResult => ({ ok: false, problem });
  const { tunnel, espSas } = established;
  if (!tunnel) return refuse({ kind: 'not-kept', text: "the tunnel was not kept (whenEstablished: 'keep')" });
  if (!espSas) return refuse({ kind: 'no-esp-sas', text: 'the tunnel has no ESP SAs (no Quick Mode)' });
  if (!espSas.udpEncapsulated && options.rawEspPath === undefined) {
    return refuse({ kind: 'raw-esp-unsupported', text: `encapsulation mode ${espSas.encapsulationMode} is raw ESP (IP protocol 50), which needs the raw ESP path (root)` });
  }
  if (espSas.udpEncapsulated && !tunnel.esp) return refuse({ kind: 'no-nat-t-path', text: 'UDP-encapsulated ESP was agreed but there is no NAT-T socket' });
  const innerAddress = chooseInnerAddress(established, options.innerAddress);
  if (innerAddress === undefined) return refuse({ kind: 'no-inner-address', text: 'no mode-cfg address, no IPv4 IDci and no innerAddress given' });
  const clock = options.clock ?? Date.now;
  let state: EspTunnelState;
  try {
    const { localId, remoteId } = espSas;
    const selectors = (options.enforceSelectors ?? true) && localId && remoteId ? { local: localId, remote: remoteId } : undefined;
    state = createEspTunnelState(espSas, clock(), { ...(options.antiReplay === undefined ? {} : { antiReplay: options.antiReplay }), ...(selectors ? { selectors } : {}) });
  } catch (error) {
    return refuse({ kind: 'unusable-sa', text: (error as Error).message });
  }
  const path = espSas.udpEncapsulated ? tunnel.esp! : options.rawEspPath!;
  const listeners = new Set<(inner: InnerPacket) => void>();
  let closed = false;
  const unsubscribe = path.onPacket((packet) => {
    const step = openGatewayPacket(state, packet, clock());
    state = step.state;
    if (step.outcome.kind !== 'delivered') return;
    const { packet: inner, nextHeader, sequenceNumber } = step.outcome;
    for (const listener of listeners) listener({ packet: inner, nextHeader, sequenceNumber });
  });
  const close = (): void => {
    if (closed) return;
    closed = true;
    unsubscribe();
    listeners.clear();
  };
  void tunnel.ended.then(close);
  return {
    ok: true,
    channel: {
      innerAddress,
      espSas,
      get closed() {
        return closed;
      },
      send: async (innerPacket, sealOptions) => {
        if (closed) return { kind: 'refused', reason: 'channel-closed' };
        const step = sealInnerPacket(state, innerPacket, clock(), sealOptions);
        state = step.state;
        if (step.outcome.kind === 'refused') return step.outcome;
        const sent = await path.send(step.outcome.packet);
        return sent === 'sent' ? { kind: 'sent', sequenceNumber: step.outcome.sequenceNumber, bytes: step.outcome.packet.length } : { kind: 'refused', reason: sent };
      },
      onInnerPacket: (listener) => {
        const own = (inner: InnerPacket): void => listener(inner);
        listeners.add(own);
        return () => void listeners.delete(own);
      },
      counters: () => ({ outbound: state.outbound.counters, inbound: state.inbound.counters, drops: espTunnelDrops(state) }),
      close,
    },
  };
}

/**
 * The address our inner packets come from: the one given, else the mode-cfg address (what
 * strongSwan installs as its virtual IP), else an IPv4 IDci, as racoon without mode_cfg sends
 * its hand-set 192.168.100.30 (the seed's table).
 */
export function chooseInnerAddress(
  established: { readonly espSas?: Pick<EspSaPair, 'localId'>; readonly modeCfg?: Pick<ModeCfgConfig, 'address'> },
  given?: string,
): string | undefined {
  if (given !== undefined) return given;
  if (established.modeCfg?.address !== undefined) return established.modeCfg.address;
  const localId = established.espSas?.localId;
  return localId?.kind === 'ipv4-address' ? localId.address : undefined;
}
