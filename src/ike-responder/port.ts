/**
 * The boundary between the running router (sockets, timers, log sinks) and the RTX's IKE
 * behaviour. The responder is I/O-free: the router hands it datagrams and the current time and
 * performs the effects it returns. Time only enters through `now` (milliseconds since the epoch),
 * so tests can drive lifetimes and expiries without waiting.
 */
import type { Identity, IsakmpHeader, Payload } from '../ike/codec/index.js';
import type { CipherId, DhGroupId, HashId, SaDirectionKeys } from '../ike/crypto/index.js';

export type { Endpoint } from '../ike/endpoint.js';
import type { Endpoint } from '../ike/endpoint.js';

export interface InboundDatagram {
  /** The ISAKMP message (on the NAT-T port: with the 4-byte non-ESP marker already removed). */
  readonly bytes: Buffer;
  readonly from: Endpoint;
  /** The router's own address and port the datagram arrived on. */
  readonly local: Endpoint;
  /** True when it arrived on the NAT-T port (RFC 3948 framing). */
  readonly natTraversal: boolean;
}

export type ResponderEffect =
  /** Send an ISAKMP message; on the NAT-T port the router adds the non-ESP marker. */
  | { readonly kind: 'send'; readonly bytes: Buffer; readonly to: Endpoint; readonly from: Endpoint; readonly natTraversal: boolean }
  /** An RTX log line (without timestamp: the log sink adds the RTX `YYYY/MM/DD HH:MM:SS: ` prefix). */
  | { readonly kind: 'log'; readonly level: LogLevel; readonly message: string }
  /** Key material for Wireshark's ikev1_decryption_table (`rtxlab start --keys FILE`). */
  | { readonly kind: 'ike-keys'; readonly initiatorCookie: Buffer; readonly encryptionKey: Buffer }
  /** Quick Mode completed: the ESP layer installs this SA pair on the tunnel; `tunnelCameUp` with the tunnel's first pair. */
  | { readonly kind: 'ipsec-sa-installed'; readonly sa: InstalledIpsecSa; readonly tunnelCameUp: boolean }
  /** An SA pair is gone (expired, deleted by the peer, replaced by another peer's): the ESP layer drops it. */
  | {
      readonly kind: 'ipsec-sa-removed';
      readonly tunnelId: number;
      readonly inboundSpi: Buffer;
      readonly outboundSpi: Buffer;
      readonly reason: IpsecSaRemoval;
      /** The tunnel's last pair went: `IP Tunnel[N] Down`. */
      readonly tunnelWentDown: boolean;
    }
  /**
   * `ipsec ike keepalive use GW on icmp-echo IP`: an ICMP echo request from the router to
   * `target` through tunnel `tunnelId` (the data plane builds and seals it); its reply goes back
   * to `keepaliveIcmpEchoReply`.
   */
  | { readonly kind: 'keepalive-icmp-echo'; readonly tunnelId: number; readonly target: string; readonly sequence: number; readonly dataLength: number }
  /** Something happened that front ends observe (never parsed from log text). */
  | { readonly kind: 'event'; readonly event: ResponderEvent };

/** Why an IPsec SA pair went. */
export type IpsecSaRemoval = 'expired' | 'deleted-by-peer' | 'replaced' | 'initial-contact' | 'deleted-by-operator' | 'idle' | 'dead-peer';

/** The cookies that name an ISAKMP SA. */
export interface IsakmpCookies {
  readonly initiatorCookie: Buffer;
  readonly responderCookie: Buffer;
}

/** What the responder tells observers, beside its log lines. */
export type ResponderEvent =
  /**
   * An IKE message the responder read or wrote: its header and, where it could read them (in
   * clear, or decrypted with the SA's keys), its payloads. Secrets are in the payloads as sent:
   * observers mask them.
   */
  | {
      readonly type: 'ike-message';
      readonly direction: 'in' | 'out';
      readonly peer: Endpoint;
      readonly header: IsakmpHeader;
      readonly payloads?: readonly Payload[];
    }
  | {
      readonly type: 'isakmp-sa-up';
      readonly cookies: IsakmpCookies;
      readonly number: number;
      readonly gatewayId: number;
      readonly peer: Endpoint;
      readonly cipher: CipherId;
      readonly hash: HashId;
      readonly group: DhGroupId;
      readonly message3Encrypted: boolean;
    }
  /**
   * An established ISAKMP SA is gone: deleted (by the peer, the router or INITIAL-CONTACT),
   * expired, or given up because the peer stopped answering the router's keepalive (`dead-peer`).
   */
  | { readonly type: 'isakmp-sa-down'; readonly cookies: IsakmpCookies; readonly number: number; readonly peer: Endpoint; readonly reason: 'deleted' | 'expired' | 'failed' | 'dead-peer' }
  | { readonly type: 'xauth'; readonly cookies: IsakmpCookies; readonly peer: Endpoint; readonly user?: string; readonly ok: boolean; readonly reason?: string }
  | { readonly type: 'lease'; readonly cookies: IsakmpCookies; readonly peer: Endpoint; readonly address: string; readonly user: string }
  | { readonly type: 'lease-released'; readonly address: string };

/** An IPsec SA pair as Quick Mode made it: what ESP needs to carry the tunnel's traffic. */
export interface InstalledIpsecSa {
  readonly tunnelId: number;
  readonly gatewayId: number;
  /** Where ESP to the peer goes: its address and port, from the router's IKE or NAT-T socket. */
  readonly peer: Endpoint;
  readonly local: Endpoint;
  /** ESP travels in UDP on the NAT-T port (RFC 3948): encapsulation mode 3 (or 61443). */
  readonly udpEncapsulated: boolean;
  readonly encryption: CipherId;
  readonly integrity: 'hmac-sha1-96' | 'hmac-md5-96';
  /** Packets from the peer carry our SPI; open them with these keys. */
  readonly inbound: SaDirectionKeys;
  /** Packets to the peer carry its SPI; seal them with these keys. */
  readonly outbound: SaDirectionKeys;
  readonly lifeSeconds: number;
  readonly lifeKilobytes?: number;
  readonly establishedAt: number;
  /** The client's inner address (mode-cfg), when one was pushed. */
  readonly internalAddress?: string;
  /** IDci / IDcr: the traffic the pair carries (absent: the two endpoints). */
  readonly initiatorIdentity?: Identity;
  readonly responderIdentity?: Identity;
}

/** The RTX syslog levels (`syslog info|notice|debug on`). */
export type LogLevel = 'info' | 'notice' | 'debug';

export interface IkeResponder {
  receive(datagram: InboundDatagram, now: number): ResponderEffect[];
  /** Called at (or after) `nextDeadline()`: retransmissions, half-open expiry, lifetimes. */
  tick(now: number): ResponderEffect[];
  /** The earliest time `tick` has work to do, or undefined when nothing is pending. */
  nextDeadline(): number | undefined;
  /** An authenticated ESP packet came in on this inbound SPI: its peer is alive (for an idle limit). */
  espReceived?(inboundSpi: Buffer, now: number): void;
  /** An ICMP echo reply to a `keepalive-icmp-echo` came back through tunnel `tunnelId`. */
  keepaliveIcmpEchoReply?(tunnelId: number, sequence: number, now: number): ResponderEffect[];
}
