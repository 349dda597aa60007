/**
 * A read-only picture of the router's SAs and tunnels at one instant: what `show ipsec sa`
 * (rtx-behaviour.md §5.2: totals, one row per SA with its number, gateway, ISAKMP SA, connection,
 * direction, remaining life and remote ID; the detail form's duration, IDs, algorithms and SPIs)
 * and `show status tunnel N` (§5.3: online or not, since when, for how long) print. Values, not
 * text: the console formats them.
 */
import type { Identity } from '../ike/codec/index.js';
import type { CipherId, DhGroupId, HashId } from '../ike/crypto/index.js';
import type { EspIntegrityChoice } from './esp-proposal.js';
import type { Endpoint } from './port.js';

export interface IpsecState {
  /** `Total: isakmp:N send:N recv:N`. */
  readonly totals: { readonly isakmp: number; readonly send: number; readonly recv: number };
  readonly isakmpSas: readonly IsakmpSaRow[];
  /** One row per direction, in SA number order. */
  readonly ipsecSas: readonly IpsecSaRow[];
  /** Every enabled gateway's tunnel, up or not. */
  readonly tunnels: readonly TunnelRow[];
}

export interface IsakmpSaRow {
  readonly number: number;
  readonly gatewayId: number;
  readonly peer: Endpoint;
  /** Our address as the peer sees it (IDir). */
  readonly localAddress: string;
  readonly establishedAt: number;
  readonly durationSeconds: number;
  readonly expiresAt: number;
  readonly lifeRemainingSeconds: number;
  readonly cipher: CipherId;
  readonly hash: HashId;
  readonly group: DhGroupId;
  /** The detail form's SPI: CKY-I | CKY-R (16 bytes). */
  readonly spi: Buffer;
  readonly xauth: 'not-requested' | 'in-progress' | 'authenticated' | 'failed';
  readonly xauthUser?: string;
  readonly internalAddress?: string;
}

export interface IpsecSaRow {
  readonly number: number;
  readonly gatewayId: number;
  readonly tunnelId: number;
  /** The ISAKMP SA that made it, while that one lives. */
  readonly isakmpSaNumber?: number;
  readonly direction: 'send' | 'recv';
  readonly protocol: 'esp';
  readonly mode: 'tunnel' | 'udp-encapsulated-tunnel';
  readonly encryption: CipherId;
  readonly integrity: EspIntegrityChoice;
  readonly pfsGroup?: DhGroupId;
  /** The SPI its packets carry (4 bytes). */
  readonly spi: Buffer;
  readonly peer: Endpoint;
  readonly establishedAt: number;
  readonly durationSeconds: number;
  readonly expiresAt: number;
  readonly lifeRemainingSeconds: number;
  readonly lifeKilobytes?: number;
  readonly initiatorIdentity?: Identity;
  readonly responderIdentity?: Identity;
  readonly xauthUser?: string;
  readonly internalAddress?: string;
}

export interface TunnelRow {
  readonly tunnelId: number;
  readonly gatewayId: number;
  readonly up: boolean;
  readonly upSince?: number;
  readonly durationSeconds?: number;
  readonly peerAddress?: string;
}

/** What one row of an IPsec SA pair is made from, whichever side negotiated it. */
export interface IpsecSaPairFacts {
  readonly inboundNumber: number;
  readonly outboundNumber: number;
  readonly gatewayId: number;
  readonly tunnelId: number;
  /** The ISAKMP SA that made it, only while that one lives. */
  readonly liveIsakmpSaNumber: number | undefined;
  readonly udpEncapsulated: boolean;
  readonly encryption: CipherId;
  readonly integrity: EspIntegrityChoice;
  readonly pfsGroup?: DhGroupId;
  readonly inbound: { readonly spi: Buffer };
  readonly outbound: { readonly spi: Buffer };
  readonly peer: Endpoint;
  readonly establishedAt: number;
  readonly expiresAt: number;
  readonly lifeKilobytes?: number;
  readonly initiatorIdentity?: Identity;
  readonly responderIdentity?: Identity;
  readonly xauthUser?: string;
  readonly internalAddress?: string;
}

/** The `show ipsec sa` row of one direction of a pair, at `now`: the responder's and the initiator's pairs alike. */
export function ipsecSaRow(pair: IpsecSaPairFacts, direction: 'send' | 'recv', now: number): IpsecSaRow {
  return {
    number: direction === 'send' ? pair.outboundNumber : pair.inboundNumber,
    gatewayId: pair.gatewayId,
    tunnelId: pair.tunnelId,
    ...(pair.liveIsakmpSaNumber === undefined ? {} : { isakmpSaNumber: pair.liveIsakmpSaNumber }),
    direction,
    protocol: 'esp',
    mode: pair.udpEncapsulated ? 'udp-encapsulated-tunnel' : 'tunnel',
    encryption: pair.encryption,
    integrity: pair.integrity,
    ...(pair.pfsGroup === undefined ? {} : { pfsGroup: pair.pfsGroup }),
    spi: direction === 'send' ? pair.outbound.spi : pair.inbound.spi,
    peer: pair.peer,
    establishedAt: pair.establishedAt,
    durationSeconds: secondsBetween(pair.establishedAt, now),
    expiresAt: pair.expiresAt,
    lifeRemainingSeconds: secondsBetween(now, pair.expiresAt),
    ...(pair.lifeKilobytes === undefined ? {} : { lifeKilobytes: pair.lifeKilobytes }),
    ...(pair.initiatorIdentity ? { initiatorIdentity: pair.initiatorIdentity } : {}),
    ...(pair.responderIdentity ? { responderIdentity: pair.responderIdentity } : {}),
    ...(pair.xauthUser === undefined ? {} : { xauthUser: pair.xauthUser }),
    ...(pair.internalAddress === undefined ? {} : { internalAddress: pair.internalAddress }),
  };
}

/** Whole seconds from `from` to `to`, never negative. */
export function secondsBetween(from: number, to: number): number {
  return Math.max(0, Math.floor((to - from) / 1000));
}
