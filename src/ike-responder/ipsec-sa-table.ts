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

export class IpsecSaTable {
  private readonly pairs: IpsecSaPair[] = [];
  private readonly tunnels = new Map<number, TunnelState>();

  all(): readonly IpsecSaPair[] {
    return this.pairs;
  }

  get size(): number {
    return this.pairs.length;
  }

  onTunnel(tunnelId: number): IpsecSaPair[] {
    return this.pairs.filter((pair) => pair.tunnelId === tunnelId);
  }

  tunnel(tunnelId: number): TunnelState | undefined {
    return this.tunnels.get(tunnelId);
  }

  tunnelStates(): TunnelState[] {
    return [...this.tunnels.values()].sort((a, b) => a.tunnelId - b.tunnelId);
  }

  /** Whether an inbound SPI of ours is taken (SPIs must tell our SAs apart, RFC 4301 §4.1). */
  hasInboundSpi(spi: Buffer): boolean {
    return this.pairs.some((pair) => pair.inbound.spi.equals(spi));
  }

  /** Adds a pair; says whether its tunnel came up with it. */
  add(pair: IpsecSaPair, now: number): { tunnelCameUp: boolean } {
    this.pairs.push(pair);
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
    const index = this.pairs.indexOf(pair);
    if (index < 0) return { tunnelWentDown: false };
    this.pairs.splice(index, 1);
    if (this.pairs.some((other) => other.tunnelId === pair.tunnelId)) return { tunnelWentDown: false };
    this.tunnels.delete(pair.tunnelId);
    return { tunnelWentDown: true };
  }

  /** Shortens a pair's life (after a rekey the old SA is cut to 30 s, §15.48.1). */
  cutLifetime(pair: IpsecSaPair, until: number): IpsecSaPair {
    if (pair.expiresAt <= until) return pair;
    const cut = { ...pair, expiresAt: until };
    const index = this.pairs.indexOf(pair);
    if (index >= 0) this.pairs[index] = cut;
    return cut;
  }

  /**
   * The pair holding an SPI of the peer's Delete: its inbound SPI (our outbound) or, leniently,
   * ours; only among the pairs made with that peer endpoint (address and port). Clients behind
   * one NAT share an address: one of them must not delete another's SAs by naming their SPIs,
   * which anyone on the path sees in ESP headers (found by the exchange-state fuzzer).
   */
  findBySpi(spi: Buffer, peer: Endpoint): IpsecSaPair | undefined {
    const samePeer = (pair: IpsecSaPair) => pair.peer.address === peer.address && pair.peer.port === peer.port;
    return this.pairs.find((pair) => samePeer(pair) && pair.outbound.spi.equals(spi)) ?? this.pairs.find((pair) => samePeer(pair) && pair.inbound.spi.equals(spi));
  }

  earliestExpiry(): number | undefined {
    let earliest: number | undefined;
    for (const pair of this.pairs) if (earliest === undefined || pair.expiresAt < earliest) earliest = pair.expiresAt;
    return earliest;
  }

  expired(now: number): IpsecSaPair[] {
    return this.pairs.filter((pair) => pair.expiresAt <= now);
  }
}
