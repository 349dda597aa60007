/**
 * The boundary between the running router (sockets, timers, log sinks) and the RTX's IKE
 * behaviour. The responder is I/O-free: the router hands it datagrams and the current time and
 * performs the effects it returns. Time only enters through `now` (milliseconds since the epoch),
 * so tests can drive lifetimes and expiries without waiting.
 */

export interface Endpoint {
  readonly address: string;
  readonly port: number;
}

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
  | { readonly kind: 'ike-keys'; readonly initiatorCookie: Buffer; readonly encryptionKey: Buffer };

/** The RTX syslog levels (`syslog info|notice|debug on`). */
export type LogLevel = 'info' | 'notice' | 'debug';

export interface IkeResponder {
  receive(datagram: InboundDatagram, now: number): ResponderEffect[];
  /** Called at (or after) `nextDeadline()`: retransmissions, half-open expiry, lifetimes. */
  tick(now: number): ResponderEffect[];
  /** The earliest time `tick` has work to do, or undefined when nothing is pending. */
  nextDeadline(): number | undefined;
}
