/**
 * Everything that travels over the web console's WebSocket, as tagged unions shared by the server
 * (src/web/) and the page (web/app.js, which imports these types through JSDoc). JSON on the wire,
 * one message per WebSocket frame. Terminal bytes travel as text frames of these messages too, so
 * the page has one parser.
 *
 * Secrets: only `terminal-output` may carry what the RTX console would print at that login level
 * (`show config` prints pre-shared keys on an RTX). Every other message is built from views that
 * hold no pre-shared key and no password (docs/web.md).
 */

/** From the page. */
export type ClientMessage =
  /** Keys typed in the terminal, as xterm.js reports them (UTF-8 text). */
  | { readonly type: 'terminal-input'; readonly data: string }
  | { readonly type: 'terminal-resize'; readonly columns: number; readonly rows: number }
  /** The administrator asks for one ladder's packets as pcap (answered only with the administrator password). */
  | { readonly type: 'capture-request'; readonly ladderId: string; readonly administratorPassword: string }
  /** Run the seed matrix (src/matrix, on routers of its own): one run at a time per page. */
  | { readonly type: 'matrix-run' };

/** From the server. */
export type ServerMessage =
  | { readonly type: 'terminal-output'; readonly data: string }
  /** The console session ended (logout, three wrong passwords, login timer). */
  | { readonly type: 'terminal-closed' }
  /**
   * The console login succeeded: state messages follow. Before it, the page gets nothing but
   * terminal output (no password, no state: as on the RTX's own console).
   */
  | {
      readonly type: 'logged-in';
      /**
       * A fresh login: a one-time claim (good for 30 s) the page trades at `POST /session` for
       * its session cookie (HttpOnly, SameSite=Strict, a random id). The claim is no password.
       */
      readonly sessionClaim?: string;
      /** The page came with a live session cookie: logged in without a password prompt. */
      readonly resumed?: boolean;
    }
  | { readonly type: 'state'; readonly state: RouterStateView }
  | { readonly type: 'log'; readonly lines: readonly string[] }
  | { readonly type: 'ladders'; readonly ladders: readonly LadderView[] }
  /**
   * A ladder's packets: a pcap file (raw IP), base64, and the keys that decrypt them as the two
   * tables Wireshark reads (for the administrator only: the session checked the password).
   */
  | {
      readonly type: 'capture';
      readonly ladderId: string;
      readonly fileName: string;
      readonly datagrams: number;
      readonly pcapBase64: string;
      readonly keys: CaptureKeyFiles;
    }
  | { readonly type: 'capture-refused'; readonly ladderId: string; readonly reason: string }
  /** A matrix run began: these rows will follow, in this order. */
  | { readonly type: 'matrix-started'; readonly rows: readonly { readonly id: string; readonly client: string }[] }
  | { readonly type: 'matrix-row'; readonly row: MatrixRowView }
  /** The run ended: `done` rows ran (all of them unless `error`), `matched` of them reproduced the seed. */
  | { readonly type: 'matrix-finished'; readonly done: number; readonly matched: number; readonly total: number; readonly error?: string }
  /** Not now: a run is going on for this page (requests before the login are ignored). */
  | { readonly type: 'matrix-refused'; readonly reason: string };

export type ServerMessageType = ServerMessage['type'];

/**
 * The keys beside a capture, as the files `rtxlab start --keys FILE` writes: `FILE`
 * (`ikev1_decryption_table`: `icookie,key`) and `FILE.esp_sa` (`esp_sa`, one record per direction).
 */
export interface CaptureKeyFiles {
  readonly fileName: string;
  readonly ikev1DecryptionTable: readonly string[];
  readonly espSaFileName: string;
  readonly espSa: readonly string[];
}

/** The live panels: tunnels, SAs and leases at one instant. Secret-free by construction. */
export interface RouterStateView {
  /** Router clock, ms since the epoch, when the view was taken. */
  readonly time: number;
  readonly tunnels: readonly TunnelPanelRow[];
  readonly isakmpSas: readonly IsakmpSaPanelRow[];
  readonly ipsecSas: readonly IpsecSaPanelRow[];
  readonly leases: readonly LeasePanelRow[];
}

export interface TunnelPanelRow {
  readonly tunnelId: number;
  readonly gatewayId: number;
  readonly up: boolean;
  /** `address` of the peer while up. */
  readonly peer?: string;
  readonly upSince?: number;
  /** The mode-cfg address of the client behind it, when one was pushed. */
  readonly virtualAddress?: string;
  /** `3des-cbc / hmac-sha1-96` of its newest SA pair. */
  readonly algorithms?: string;
  /** SPIs of its newest pair, hex. */
  readonly inboundSpi?: string;
  readonly outboundSpi?: string;
  readonly packetsIn: number;
  readonly octetsIn: number;
  readonly packetsOut: number;
  readonly octetsOut: number;
}

export interface IsakmpSaPanelRow {
  readonly number: number;
  readonly gatewayId: number;
  /** `address:port`. */
  readonly peer: string;
  /** `3des-cbc / sha / modp1024`. */
  readonly algorithms: string;
  readonly xauth: string;
  readonly xauthUser?: string;
  readonly virtualAddress?: string;
  readonly lifeRemainingSeconds: number;
}

export interface IpsecSaPanelRow {
  readonly number: number;
  readonly tunnelId: number;
  readonly isakmpSaNumber?: number;
  readonly direction: 'send' | 'recv';
  readonly spi: string;
  readonly peer: string;
  readonly algorithms: string;
  readonly udpEncapsulated: boolean;
  readonly lifeRemainingSeconds: number;
}

export interface LeasePanelRow {
  readonly address: string;
  /** `gateway|peer|user`. */
  readonly owner: string;
  readonly holders: readonly number[];
}

/** One row of the seed matrix as `rtxlab matrix` prints it, with its client's ladder. */
export interface MatrixRowView {
  readonly id: string;
  /** `seed`: a row of the write-up's table; `hypothesis`: rtxlab's check of a documented mechanism. */
  readonly origin: 'seed' | 'hypothesis';
  readonly client: string;
  readonly profile: string;
  /** The row's router config, described (`seed config (payload type 3)`). */
  readonly router: string;
  /** What the write-up observed. */
  readonly seedObservation: string;
  /** What rtxlab did (`connected: virtual IP ...`, `failed during mode-cfg: ...`). */
  readonly outcome: string;
  /** The router's decisive log line (decisiveLogLine). */
  readonly decisiveLine?: string;
  readonly matches: boolean;
  /** Why not, when it differs. */
  readonly why?: string;
  readonly durationMs: number;
  /** Every ISAKMP SA the row's client tried, from the row's own router. */
  readonly ladders: readonly LadderView[];
}

/** One peer's IKE negotiation (one ISAKMP SA, by cookies) as a sequence diagram. */
export interface LadderView {
  /** `icookie:rcookie` hex; the initiator cookie alone until the responder's is known. */
  readonly id: string;
  readonly peer: string;
  readonly initiatorCookie: string;
  readonly startedAt: number;
  readonly rungs: readonly LadderRung[];
  readonly outcome: LadderOutcome;
  /** Where it stopped (not established): the index of the last rung and the router's decisive log line. */
  readonly stop?: { readonly lastRung: number; readonly decisiveLine?: string };
}

export type LadderOutcome =
  /** Messages still going, or nothing more happened yet. */
  | 'negotiating'
  /** Phase 1 done and a Quick Mode made an IPsec SA pair. */
  | 'established'
  /** The router refused (XAUTH, a failed or deleted ISAKMP SA) or the ISAKMP SA went. */
  | 'failed'
  | 'closed';

export interface LadderRung {
  /** `in`: client to router (drawn left to right); `out`: router to client. */
  readonly direction: 'in' | 'out';
  readonly time: number;
  readonly exchange: string;
  /** 8 hex digits. */
  readonly messageId: string;
  readonly encrypted: boolean;
  /** What the message is in the negotiation: `AM 1`, `XAUTH REQUEST`, `mode-cfg SET`, `QM 2`, ... */
  readonly label: string;
  readonly payloads: readonly { readonly name: string; readonly detail?: string }[];
  readonly retransmission: boolean;
}
