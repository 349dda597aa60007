/**
 * The face of a running router that every front end uses (CLI, console, web, library API, matrix,
 * bench): options, typed events, views, live configuration, passwords and operator commands.
 * `RtxRouter` (rtx-router.ts) implements it. Values, never text to be parsed: a front end formats
 * them (the console prints `show ipsec sa` from `ipsecState()`).
 */
import type { ConfigContext, ConfigModel } from '../config/model.js';
import type { RtxErrorId } from '../config/errors.js';
import type { ConsoleSettings } from '../config/views/console.js';
import type { ConfigPart } from '../config/show-config/show-config.js';
import type { PreSharedKey } from '../config/views/ipsec-gateways.js';
import type { CipherId, DhGroupId, HashId } from '../ike/crypto/index.js';
import type { IpsecState, TunnelRow } from '../ike-responder/ipsec-state.js';
import type { Endpoint, IpsecSaRemoval, LogLevel } from '../ike-responder/port.js';
import type { ResponderLimits } from '../ike-responder/responder.js';
import type { KeepaliveOptions } from '../ike-responder/keepalive-schedule.js';
import type { Clock } from './clock.js';
import type { PingReply, PingRequest, PingResult } from './router-ping.js';
import type { DataPlaneCounters, TunnelTraffic } from './data-plane.js';
import type { ImpairRule } from './impair/impair-rule.js';
import type { LogEntry } from './log-sink.js';
import type { HintExchange } from './hints.js';
import type { RouterCounters, RouterProblem } from './router.js';

/** Where the config comes from: text (the library API) or a file (`--config`); absent: the embedded default. */
export type ConfigSource = { readonly text: string } | { readonly file: string };

export interface RtxRouterOptions {
  /** Default: the embedded seed config. */
  readonly config?: ConfigSource;
  /** IP address the IKE and NAT-T sockets listen on (default 127.0.0.1). */
  readonly bind?: string;
  /** UDP port for IKE (default 500; 0: any free port). */
  readonly ikePort?: number;
  /** UDP port for NAT-T (default 4500; 0: any free port). */
  readonly nattPort?: number;
  readonly clock?: Clock;
  /** Wireshark ikev1_decryption_table to append to; ESP SAs go to `FILE.esp_sa`. */
  readonly keysFile?: string;
  /** pcap file of every datagram sent and received on the IKE and NAT-T ports. */
  readonly pcapFile?: string;
  /** rtxlab option: simulated hosts behind the router (ICMP echo, UDP echo on port 7). */
  readonly lanHosts?: readonly string[];
  /** rtxlab option `--lan-tun NAME`: a TUN device for a real LAN behind the router (root; src/netio). */
  readonly lanTun?: string;
  /** Carry ESP as IP protocol 50 when an SA pair is agreed without NAT-T (src/netio); default: when running as root. */
  readonly rawEsp?: boolean;
  /** Keys for gateways whose config shows the key masked (`--psk N=KEY`). */
  readonly psk?: ReadonlyMap<number, PreSharedKey>;
  /** Secrets the config holds only in `encrypted` or masked form (`--login-password` ...). */
  readonly passwords?: SuppliedPasswords;
  /** Refuse to start when any config line is rejected (`--strict`). */
  readonly strict?: boolean;
  /** Apply values later than Rev.8.03 (aes256-cbc, sha256, modp2048...) instead of warning (`--newer-values`). */
  readonly acceptNewerValues?: boolean;
  /** Where `save()` writes (default: the config file; none for text or the embedded default). */
  readonly saveTo?: string;
  /** rtxlab option: let the router originate traffic (syslog, ...) to any address. */
  readonly allowOutbound?: boolean;
  /** rtxlab option: the UDP port of the `syslog host` hosts (default 514; the RTX's command takes no port). */
  readonly syslogPort?: number;
  /**
   * rtxlab option `--max-tunnels N`, not RTX behaviour (for load tests): tunnel and security
   * gateway numbers up to N instead of the RTX1500's 100 (so `tunnel template 1 2-N` gives N
   * tunnels), and room for at least 2 N ISAKMP SAs and 2 N IPsec SA pairs in the responder
   * (unless `responderLimits` sets them). Default: the RTX's 100 (ASSUMED, docs/fidelity.md).
   */
  readonly maxTunnels?: number;
  /**
   * rtxlab option `--udp-receive-buffer BYTES`, not RTX behaviour: the IKE and NAT-T sockets'
   * receive buffer, so that a burst (thousands of clients connecting or deleting at once) waits in
   * the kernel instead of being dropped while the router is busy; the kernel caps it at
   * `net.core.rmem_max`. Default: the kernel's (208 KB on Linux).
   */
  readonly udpReceiveBufferBytes?: number;
  /** rtxlab option: seconds an unfinished Phase 1 is kept (default 30, RTX value unknown). */
  readonly halfOpenTimeoutSeconds?: number;
  /**
   * rtxlab options: the responder's bounds and schedules (resends, half-open limits per peer and
   * in total, idle limit; docs/robustness.md). Defaults: DEFAULT_RESPONDER_LIMITS.
   */
  readonly responderLimits?: Partial<ResponderLimits>;
  /**
   * Choices about the router's own keepalives where the RTX's behaviour is not known
   * (`dpdOnlyToAnnouncingPeers`, default true: RFC 3706 §5.1; docs/fidelity.md).
   */
  readonly keepalive?: Partial<KeepaliveOptions>;
  /**
   * rtxlab option (`--impair`), off by default: faults injected on purpose so a client's
   * retransmission and error paths can be tested (parseImpairRule; docs/robustness.md §6).
   */
  readonly impair?: readonly ImpairRule[];
  /** rtxlab option, not RTX behaviour: answer mode-cfg REQUESTs. */
  readonly answerModeCfgRequests?: boolean;
  /**
   * Where log lines that would go to a syslog host are also written, as the RTX would send them
   * (rtxlab start: stdout). Which levels follows the config's `syslog info|notice|debug`.
   */
  readonly logOutput?: (line: string) => void;
  /**
   * rtxlab option: `hint` events, rtxlab's own `rtxlab:` explanations of a failing client (default
   * on; `rtxlab start --no-hints` turns them off). Not RTX text: they never enter the log.
   */
  readonly hints?: boolean;
  /** Deterministic randomness for tests (cookies, nonces, SPIs). */
  readonly randomBytes?: (length: number) => Buffer;
}

export interface SuppliedPasswords {
  readonly login?: string;
  readonly administrator?: string;
  /** `login user NAME ...` whose secret is encrypted or masked in the config. */
  readonly users?: ReadonlyMap<string, string>;
}

/** Cookies of an ISAKMP SA, hex. */
export interface SaCookies {
  readonly initiator: string;
  readonly responder: string;
}

/** A decoded IKE payload as the ladder, doctor and `--events ndjson` show it. */
export interface DecodedPayload {
  /** `SA`, `KE`, `NONCE`, `ID`, `HASH`, `VID`, `NAT-D`, `ATTR`, `N`, `D`, ... */
  readonly name: string;
  /** One line of detail: the ID, the notify type, the attribute names and values (secrets masked). */
  readonly detail?: string;
}

/** Every event a router emits. `type` names it; docs/api.md specifies each. */
export type RouterEvent =
  | { readonly type: 'listening'; readonly ike: Endpoint; readonly natt: Endpoint }
  | { readonly type: 'stopped' }
  | { readonly type: 'log'; readonly entry: LogEntry }
  | { readonly type: 'problem'; readonly problem: RouterProblem; readonly text: string }
  | {
      readonly type: 'isakmp-sa-up';
      readonly number: number;
      readonly gatewayId: number;
      readonly peer: Endpoint;
      readonly cookies: SaCookies;
      readonly cipher: CipherId;
      readonly hash: HashId;
      readonly group: DhGroupId;
      /** Whether the third Aggressive Mode message came encrypted. */
      readonly message3Encrypted: boolean;
    }
  | {
      readonly type: 'isakmp-sa-down';
      readonly peer: Endpoint;
      readonly cookies: SaCookies;
      readonly number: number;
      /** `dead-peer`: the router's keepalive (`ipsec ike keepalive use`) got no answer. */
      readonly reason: 'deleted' | 'expired' | 'failed' | 'dead-peer';
    }
  /** The XAUTH verdict; `user` as the client gave it (absent when it gave none), `reason` when refused. */
  | { readonly type: 'xauth'; readonly peer: Endpoint; readonly cookies: SaCookies; readonly user?: string; readonly ok: boolean; readonly reason?: string }
  | { readonly type: 'lease'; readonly address: string; readonly peer: Endpoint; readonly cookies: SaCookies; readonly user: string }
  | { readonly type: 'lease-released'; readonly address: string }
  | { readonly type: 'ipsec-sa-up'; readonly sa: IpsecSaEvent }
  | { readonly type: 'ipsec-sa-down'; readonly sa: IpsecSaEvent; readonly reason: IpsecSaRemoval }
  | { readonly type: 'tunnel-up'; readonly tunnelId: number; readonly gatewayId: number; readonly peer: Endpoint; readonly sa: IpsecSaEvent }
  /** `reason`: why the tunnel's last IPsec SA pair went. */
  | { readonly type: 'tunnel-down'; readonly tunnelId: number; readonly reason: IpsecSaRemoval }
  | { readonly type: 'datagram'; readonly datagram: DatagramRecord }
  | { readonly type: 'ike-message'; readonly message: DecodedIkeMessage }
  | { readonly type: 'config-changed'; readonly line: string; readonly context: ConfigContext }
  /** rtxlab's own words, not RTX text (src/router/hints.ts): never in `show log`, syslog or a console. */
  | { readonly type: 'hint'; readonly peer?: string; readonly exchange: HintExchange; readonly text: string };

export type RouterEventType = RouterEvent['type'];

/** Every event type, once (`--events ndjson` subscribes to all); the check below keeps it whole. */
export const ROUTER_EVENT_TYPES = [
  'listening',
  'stopped',
  'log',
  'problem',
  'isakmp-sa-up',
  'isakmp-sa-down',
  'xauth',
  'lease',
  'lease-released',
  'ipsec-sa-up',
  'ipsec-sa-down',
  'tunnel-up',
  'tunnel-down',
  'datagram',
  'ike-message',
  'config-changed',
  'hint',
] as const satisfies readonly RouterEventType[];
/** A compile error here names an event type missing from ROUTER_EVENT_TYPES. */
const everyEventListed: Exclude<RouterEventType, (typeof ROUTER_EVENT_TYPES)[number]> extends never ? true : never = true;
void everyEventListed;
export type RouterEventOf<T extends RouterEventType> = Extract<RouterEvent, { type: T }>;

export interface IpsecSaEvent {
  readonly tunnelId: number;
  readonly gatewayId: number;
  readonly peer: Endpoint;
  /** Hex, 8 digits: the SPI ESP from the peer carries, and the one we send with. */
  readonly inboundSpi: string;
  readonly outboundSpi: string;
  readonly encryption: CipherId;
  readonly integrity: 'hmac-sha1-96' | 'hmac-md5-96';
  readonly udpEncapsulated: boolean;
  readonly lifeSeconds: number;
  /** The client's inner address (mode-cfg lease), when one was pushed. */
  readonly internalAddress?: string;
  /** IDci / IDcr as text (`10.1.1.110/32`, `0.0.0.0/0`), when negotiated. */
  readonly initiatorSelector?: string;
  readonly responderSelector?: string;
}

/** One UDP datagram on the IKE or NAT-T port, as it went over the wire. */
export interface DatagramRecord {
  readonly direction: 'in' | 'out';
  readonly time: number;
  readonly from: Endpoint;
  readonly to: Endpoint;
  /** What the router made of it. */
  readonly kind: 'ike' | 'esp' | 'natt-keepalive' | 'natt-malformed';
  /** The UDP payload exactly as sent or received (on 4500 with the non-ESP marker); raw ESP: the IP payload. */
  readonly bytes: Buffer;
  /** `esp`: raw ESP, IP protocol 50 (ports 0); absent: UDP. */
  readonly protocol?: 'esp';
}

/** One IKE message, decoded (and, where the router holds its keys, decrypted). */
export interface DecodedIkeMessage {
  readonly direction: 'in' | 'out';
  readonly time: number;
  readonly peer: Endpoint;
  readonly cookies: SaCookies;
  /** `AGGRESSIVE`, `TRANSACTION`, `QUICK-MODE`, `INFORMATIONAL`, `IDENTITY-PROTECTION`... */
  readonly exchange: string;
  readonly messageId: number;
  readonly encrypted: boolean;
  /** Payloads in order; empty when encrypted and the keys are not (yet) known. */
  readonly payloads: readonly DecodedPayload[];
  /** A repeat of a message already sent or received (same bytes). */
  readonly retransmission: boolean;
}

/**
 * Key material as the router derives it, in the formats Wireshark reads (`--keys FILE` writes the
 * same records). Not a RouterEvent: `on`, `--events ndjson`, the panels and the ladder never carry
 * these records (only the RTX's own `key-info` log lines print keys, as the RTX does); a front
 * end that asks for them by name gets them (`onKeyMaterial`: the web console's download for the
 * administrator).
 */
export type KeyMaterialRecord =
  /** One ISAKMP SA: its `ikev1_decryption_table` record (`icookie,key`, bare hex). */
  | { readonly kind: 'ikev1'; readonly initiatorCookie: string; readonly decryptionTableLine: string }
  /** One IPsec SA pair: its two `esp_sa` records (peer to router, router to peer). */
  | { readonly kind: 'esp'; readonly peer: Endpoint; readonly espSaLines: readonly [inbound: string, outbound: string] };

/** What applying one config line did (`apply`). */
export type ApplyOutcome =
  | { readonly kind: 'applied' }
  | { readonly kind: 'selected'; readonly context: ConfigContext }
  | { readonly kind: 'warning'; readonly message: string }
  | { readonly kind: 'error'; readonly error: RtxErrorId; readonly detail?: string };

/** A config session: one console's `tunnel select` state over the router's one config. */
export interface RouterConfigSession {
  readonly context: ConfigContext;
  apply(line: string): ApplyOutcome;
}

/** The answer to a password (console, telnet, SSH, web). */
export type PasswordCheck =
  /** No password is configured: no prompt (as on the RTX). */
  | { readonly kind: 'none-configured' }
  | { readonly kind: 'ok' }
  | { readonly kind: 'wrong' }
  /** The config holds it `encrypted` or masked and none was supplied: login refused, with why. */
  | { readonly kind: 'unknown-secret'; readonly message: string };

/**
 * Administrator mode: one session at a time (RTX1500, rtx-behaviour.md §5.5). A console claims it
 * at `administrator` and releases it when it leaves administrator mode or ends.
 */
export type AdministratorClaim =
  | { readonly kind: 'granted'; release(): void }
  /** `by`: the holder's name as it claimed (`Serial`, `TELNET: 192.0.2.1`). */
  | { readonly kind: 'held'; readonly by: string };

export type SaveOutcome =
  | { readonly kind: 'saved'; readonly path: string }
  | { readonly kind: 'cannot-save'; readonly message: string };

/** A tunnel as `show status tunnel N` prints it: state plus traffic. */
export interface TunnelView extends TunnelRow {
  /** Inner traffic since start (absent before the tunnel's first SA). */
  readonly traffic?: TunnelTraffic;
}

export interface LeaseRecord {
  readonly address: string;
  /** Who asked: `gateway/peer/user`. */
  readonly owner: string;
  readonly holders: readonly number[];
}

/** What a front end may do with a running router. */
export interface RouterControl {
  /** Where the sockets listen once started. */
  readonly listening: { readonly ike: Endpoint; readonly natt: Endpoint } | undefined;
  /** The current config (read-only: change it through `apply`). */
  readonly config: ConfigModel;
  /** Lines applied since start or the last `save()`. */
  readonly unsavedChanges: boolean;

  on<T extends RouterEventType>(type: T, listener: (event: RouterEventOf<T>) => void): () => void;
  /** Resolves with the first matching event; rejects after `timeoutMs` (default 10 s). */
  waitFor<T extends RouterEventType>(type: T, predicate?: (event: RouterEventOf<T>) => boolean, timeoutMs?: number): Promise<RouterEventOf<T>>;
  /** Every key the router derives from now on (KeyMaterialRecord: kept apart from the events on purpose). */
  onKeyMaterial(listener: (record: KeyMaterialRecord) => void): () => void;

  // views
  ipsecState(): IpsecState;
  tunnels(): TunnelView[];
  leases(): LeaseRecord[];
  counters(): RouterCounters & { readonly esp: DataPlaneCounters };
  logEntries(): LogEntry[];
  consoleSettings(): ConsoleSettings;
  /**
   * `show config` text (secrets as the RTX shows them); with `part`, only that tunnel's or pp's
   * block (`show config tunnel N`, `show config pp N`; showConfigLines' `part` option).
   */
  showConfig(part?: ConfigPart): string;
  /** The router's clock (log stamps, `show environment`'s current time). */
  now(): number;
  /** When the router started (`show status boot`, `show environment`); undefined before. */
  readonly bootedAt: number | undefined;

  // live config
  openConfigSession(): RouterConfigSession;
  apply(line: string): ApplyOutcome;
  save(): Promise<SaveOutcome>;

  // passwords
  checkLoginPassword(password: string, user?: string): PasswordCheck;
  checkAdministratorPassword(password: string): PasswordCheck;
  /** `administrator`: granted unless another session holds administrator mode. */
  claimAdministrator(holder: string): AdministratorClaim;
  /** Whether a login needs a password at all (and a user name). */
  loginRequirement(): { readonly password: boolean; readonly user: boolean };

  // operator commands
  /** `ipsec sa delete ID|all`: returns how many SAs it removed; unknown ID: 0. */
  deleteIpsecSa(target: number | 'all'): number;
  /**
   * `ipsec refresh sa`: every SA goes (the responder's with Deletes per `send info`, the
   * initiating side's without a word); gateways with `ipsec auto refresh` start again.
   */
  refreshSa(): number;
  /**
   * The router's own `ping` from one of its addresses into the tunnel its route names;
   * `onReply` sees each reply as it arrives. Rejects with a RangeError on a request it cannot send.
   */
  ping(request: PingRequest, onReply?: (reply: PingReply) => void): Promise<PingResult>;
  /** `clear log`. */
  clearLog(): void;
  /** Writes a log line as the router does (the console's login lines). */
  log(level: LogLevel, message: string): void;
}
