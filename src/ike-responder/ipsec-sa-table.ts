/**
 * The router's IPsec SAs, one record per pair (Quick Mode makes an inbound and an outbound SA
 * together), and the tunnel interfaces they bring up. A tunnel interface is up while it has at
 * least one pair (`IP Tunnel[N] Up` / `Down`, rtx-behaviour.md §5.1); on the RTX one tunnel
 * carries one peer. Pure bookkeeping: the responder decides what happens and logs it.
 */
import type { Identity } from '../ike/codec/index.js';
import type { CipherId, DhGroupId, SaDirectionKeys } from '../ike/crypto/index.js';
import type { EspIntegrityChoice } from './esp-proposal.js';
import type { SendPath } from './exchange-effects.js';
import type { Endpoint } from './port.js';
import { DeadlineQueue } from './deadline-queue.js';
import { SetIndex } from './index-sets.js';

export interface IpsecSaPair {
  /** `show ipsec sa` numbers of the two SAs. */
  readonly inboundNumber: number;
  readonly outboundNumber: number;
  readonly gatewayId: number;
  readonly tunnelId: number;
  /** The ISAKMP SA that made the pair (its `show ipsec sa` number). */
  readonly isakmpSaNumber: number;
  readonly peer: Endpoint;
  /** Where ESP to the peer goes (the NAT-T port for UDP-encapsulated SAs). */
  readonly path: SendPath;
  readonly encryption: CipherId;
  readonly integrity: EspIntegrityChoice;
  readonly encapsulationMode: number;
  readonly udpEncapsulated: boolean;
  readonly pfsGroup?: DhGroupId;
  /** Initiator -> responder: our SPI, the keys we open packets with. */
  readonly inbound: SaDirectionKeys;
  /** Responder -> initiator: the peer's SPI, the keys we seal packets with. */
  readonly outbound: SaDirectionKeys;
  readonly lifeSeconds: number;
  readonly lifeKilobytes?: number;
  readonly establishedAt: number;
  readonly expiresAt: number;
  /** IDci and IDcr as negotiated (absent: the two gateways' addresses). */
  readonly initiatorIdentity?: Identity;
  readonly responderIdentity?: Identity;
  /** The XAUTH user and the mode-cfg address of the ISAKMP SA that made it. */
  readonly xauthUser?: string;
  readonly internalAddress?: string;
}

export interface TunnelState {
  readonly tunnelId: number;
  readonly upSince: number;
  readonly peerAddress: string;
}

/**
 * Every lookup the responder makes per datagram or per negotiation is by an index, not a walk:
 * with ten thousand tunnels a walk per Quick Mode or per ESP packet made each cost more the more
 * tunnels were up (issue 14 point 4).
 */
export class IpsecSaTable {
  /** By inbound number (unique while installed); insertion order is the order pairs were added. */
  private readonly pairs = new Map<number, IpsecSaPair>();
  private readonly byTunnel = new SetIndex<number, number>();
  private readonly byIsakmpSa = new SetIndex<number, number>();
  private readonly byPeerAddress = new SetIndex<string, number>();
  private readonly byInboundSpi = new Map<string, number>();
  private readonly byOutboundSpi = new SetIndex<string, number>();
  private readonly expiries = new DeadlineQueue<number>();
  /** When each pair was added (a counter): pairs that expire together go in that order. */
  private readonly addedOrder = new Map<number, number>();
  private added = 0;
  private readonly tunnels = new Map<number, TunnelState>();

  all(): readonly IpsecSaPair[] {
    return [...this.pairs.values()];
  }

  get size(): number {
    return this.pairs.size;
  }

  onTunnel(tunnelId: number): IpsecSaPair[] {
    return this.pairsOf(this.byTunnel.get(tunnelId));
  }

  /** The pairs made under one ISAKMP SA (its `show ipsec sa` number). */
  madeUnder(isakmpSaNumber: number): IpsecSaPair[] {
    return this.pairsOf(this.byIsakmpSa.get(isakmpSaNumber));
  }

  /** The pairs made with a peer address (any port). */
  withPeerAddress(address: string): IpsecSaPair[] {
    return this.pairsOf(this.byPeerAddress.get(address));
  }

  /** The given pairs in the order they were added (a walk over the table would meet them so). */
  inAddedOrder(pairs: IpsecSaPair[]): IpsecSaPair[] {
    return pairs.sort((a, b) => (this.addedOrder.get(a.inboundNumber) ?? 0) - (this.addedOrder.get(b.inboundNumber) ?? 0));
  }

  hasPairsOnTunnel(tunnelId: number): boolean {
    return this.byTunnel.has(tunnelId);
  }

  tunnel(tunnelId: number): TunnelState | undefined {
    return this.tunnels.get(tunnelId);
  }

  tunnelStates(): TunnelState[] {
    return [...this.tunnels.values()].sort((a, b) => a.tunnelId - b.tunnelId);
  }

  /** Whether an inbound SPI of ours is taken (SPIs must tell our SAs apart, RFC 4301 §4.1). */
  hasInboundSpi(spi: Buffer): boolean {
    return this.byInboundSpi.has(spi.toString('hex'));
  }

  /** The pair that opens packets with this inbound SPI of ours. */
  findByInboundSpi(spi: Buffer): IpsecSaPair | undefined {
    const number = this.byInboundSpi.get(spi.toString('hex'));
    return number === undefined ? undefined : this.pairs.get(number);
  }

  /** Adds a pair; says whether its tunnel came up with it. */
  add(pair: IpsecSaPair, now: number): { tunnelCameUp: boolean } {
    const key = pair.inboundNumber;
    this.pairs.set(key, pair);
    this.byTunnel.add(pair.tunnelId, key);
    this.byIsakmpSa.add(pair.isakmpSaNumber, key);
    this.byPeerAddress.add(pair.peer.address, key);
    this.byInboundSpi.set(pair.inbound.spi.toString('hex'), key);
    this.byOutboundSpi.add(pair.outbound.spi.toString('hex'), key);
    this.expiries.set(key, pair.expiresAt);
    this.addedOrder.set(key, this.added++);
    const tunnel = this.tunnels.get(pair.tunnelId);
    if (tunnel === undefined) {
      this.tunnels.set(pair.tunnelId, { tunnelId: pair.tunnelId, upSince: now, peerAddress: pair.peer.address });
      return { tunnelCameUp: true };
    }
    if (tunnel.peerAddress !== pair.peer.address) this.tunnels.set(pair.tunnelId, { ...tunnel, peerAddress: pair.peer.address });
    return { tunnelCameUp: false };
  }

  /** Removes a pair; says whether its tunnel went down with it. */
  remove(pair: IpsecSaPair): { tunnelWentDown: boolean } {
    const key = pair.inboundNumber;
    if (this.pairs.get(key)?.inbound.spi.equals(pair.inbound.spi) !== true) return { tunnelWentDown: false };
    this.pairs.delete(key);
    this.byTunnel.remove(pair.tunnelId, key);
    this.byIsakmpSa.remove(pair.isakmpSaNumber, key);
    this.byPeerAddress.remove(pair.peer.address, key);
    this.byInboundSpi.delete(pair.inbound.spi.toString('hex'));
    this.byOutboundSpi.remove(pair.outbound.spi.toString('hex'), key);
    this.expiries.delete(key);
    this.addedOrder.delete(key);
    if (this.hasPairsOnTunnel(pair.tunnelId)) return { tunnelWentDown: false };
    this.tunnels.delete(pair.tunnelId);
    return { tunnelWentDown: true };
  }

  /** Shortens a pair's life (after a rekey the old SA is cut to 30 s, §15.48.1). */
  cutLifetime(pair: IpsecSaPair, until: number): IpsecSaPair {
    if (pair.expiresAt <= until) return pair;
    const cut = { ...pair, expiresAt: until };
    if (this.pairs.has(pair.inboundNumber)) {
      this.pairs.set(pair.inboundNumber, cut);
      this.expiries.set(pair.inboundNumber, until);
    }
    return cut;
  }

  /**
   * The pair holding an SPI of the peer's Delete: its inbound SPI (our outbound) or, leniently,
   * ours; only among the pairs made with that peer endpoint (address and port). Clients behind
   * one NAT share an address: one of them must not delete another's SAs by naming their SPIs,
   * which anyone on the path sees in ESP headers (found by the exchange-state fuzzer).
   */
  findBySpi(spi: Buffer, peer: Endpoint): IpsecSaPair | undefined {
    const samePeer = (pair: IpsecSaPair | undefined): pair is IpsecSaPair => pair !== undefined && pair.peer.address === peer.address && pair.peer.port === peer.port;
    const hex = spi.toString('hex');
    const byOutbound = this.pairsOf(this.byOutboundSpi.get(hex)).find(samePeer);
    if (byOutbound) return byOutbound;
    const inbound = this.byInboundSpi.get(hex);
    const byInbound = inbound === undefined ? undefined : this.pairs.get(inbound);
    return samePeer(byInbound) ? byInbound : undefined;
  }

  earliestExpiry(): number | undefined {
    return this.expiries.earliest();
  }

  /** The pairs whose life ended at `now`, in the order they were added. */
  expired(now: number): IpsecSaPair[] {
    // Taken out of the queue only to be read: the caller removes them, which forgets them anyway.
    const due = this.expiries.takeDue(now).sort((a, b) => this.addedOrder.get(a)! - this.addedOrder.get(b)!);
    for (const key of due) this.expiries.set(key, this.pairs.get(key)?.expiresAt);
    return due.flatMap((key) => this.pairs.get(key) ?? []);
  }

  /** Indexes keep the order values were filed, and a pair is filed once: this is the order pairs were added. */
  private pairsOf(keys: readonly number[]): IpsecSaPair[] {
    const found: IpsecSaPair[] = [];
    for (const key of keys) {
      const pair = this.pairs.get(key);
      if (pair) found.push(pair);
    }
    return found;
  }
}
