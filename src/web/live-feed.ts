/**
 * The router's events turned into the page's state messages, once per web server (every logged-in
 * page gets the same feed). Pushes, never polls: a state message follows each event that changes
 * the panels, a ladders message each event that changes a ladder, a log message each log line.
 * Bursts (a client's whole negotiation arrives within milliseconds, ESP moves the counters per
 * packet) are coalesced into one message per kind per `coalesceMs`.
 */
import type { IpsecSaEvent, RouterControl, RouterEventType } from '../router/rtx-router-api.js';
import { LadderBook } from './ladder.js';
import { PeerCaptures } from './peer-capture.js';
import { PeerKeys, type PeerKeyTables } from './peer-keys.js';
import type { ServerMessage } from './messages.js';
import { routerStateView } from './state-view.js';

/** Events after which the panels differ. */
const STATE_EVENTS = [
  'isakmp-sa-up',
  'isakmp-sa-down',
  'xauth',
  'lease',
  'lease-released',
  'ipsec-sa-up',
  'ipsec-sa-down',
  'tunnel-up',
  'tunnel-down',
  'config-changed',
] as const satisfies readonly RouterEventType[];

/**
 * Key-info dumps (`ipsec ike log ... key-info`: SKEYID, SKEYID_e, ...) are key material: the log
 * panel leaves them out. The terminal's `show log` still prints them, as the RTX console does.
 */
const KEY_DUMP = /^\[IKE\]\s+key /;

/** Log lines a page gets when it logs in (the rest: `show log`). */
const RECENT_LOG_LINES = 200;

export type FeedListener = (message: ServerMessage) => void;

export class LiveFeed {
  private readonly ladders = new LadderBook();
  private readonly captures = new PeerCaptures();
  private readonly keys = new PeerKeys();
  private readonly newestPairs = new Map<number, IpsecSaEvent>();
  private readonly listeners = new Set<FeedListener>();
  private readonly unsubscribe: (() => void)[] = [];
  private pendingLog: string[] = [];
  private stateDue = false;
  private laddersDue = false;
  private flushTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly router: RouterControl,
    private readonly coalesceMs = 50,
  ) {
    for (const type of STATE_EVENTS) this.unsubscribe.push(router.on(type, () => this.due('state')));
    this.unsubscribe.push(
      router.on('ipsec-sa-up', (event) => this.newestPairs.set(event.sa.tunnelId, event.sa)),
      router.on('tunnel-down', (event) => this.newestPairs.delete(event.tunnelId)),
      // Traffic counters move with ESP.
      router.on('datagram', (event) => {
        this.captures.record(event.datagram);
        if (event.datagram.kind === 'esp') this.due('state');
      }),
      // Keys only for the administrator's download (capture()); never pushed to any page.
      router.onKeyMaterial((record) => this.keys.record(record)),
      router.on('ike-message', (event) => this.ladder(this.ladders.apply(event))),
      router.on('xauth', (event) => this.ladder(this.ladders.apply(event))),
      router.on('isakmp-sa-down', (event) => this.ladder(this.ladders.apply(event))),
      router.on('ipsec-sa-up', (event) => this.ladder(this.ladders.apply(event))),
      router.on('log', (event) => {
        this.ladder(this.ladders.apply(event));
        if (!KEY_DUMP.test(event.entry.message)) {
          this.pendingLog.push(event.entry.line);
          this.schedule();
        }
      }),
    );
  }

  /** What a page gets when it logs in: the whole picture as it is now. */
  snapshot(): ServerMessage[] {
    const log = this.router
      .logEntries()
      .filter((entry) => !KEY_DUMP.test(entry.message))
      .slice(-RECENT_LOG_LINES)
      .map((entry) => entry.line);
    return [this.stateMessage(), { type: 'log', lines: log }, { type: 'ladders', ladders: this.ladders.views() }];
  }

  /**
   * The packets of one ladder's peer as pcap, with the keys that decrypt them (Wireshark's
   * tables); undefined when that ladder is no longer kept. The caller checks who is asking.
   */
  capture(ladderId: string): { readonly file: Buffer; readonly datagrams: number; readonly keys: PeerKeyTables } | undefined {
    const scope = this.ladders.scopeOf(ladderId);
    if (scope === undefined) return undefined;
    return { ...this.captures.pcap(scope.endpoints), keys: this.keys.tablesFor(scope.initiatorCookie, scope.endpoints) };
  }

  subscribe(listener: FeedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    for (const off of this.unsubscribe) off();
    if (this.flushTimer !== undefined) clearTimeout(this.flushTimer);
    this.listeners.clear();
  }

  private stateMessage(): ServerMessage {
    return { type: 'state', state: routerStateView(this.router, this.newestPairs) };
  }

  private ladder(changed: boolean): void {
    if (changed) this.due('ladders');
  }

  private due(kind: 'state' | 'ladders'): void {
    if (kind === 'state') this.stateDue = true;
    else this.laddersDue = true;
    this.schedule();
  }

  private schedule(): void {
    if (this.flushTimer !== undefined) return;
    this.flushTimer = setTimeout(() => this.flush(), this.coalesceMs);
    this.flushTimer.unref();
  }

  private flush(): void {
    this.flushTimer = undefined;
    const messages: ServerMessage[] = [];
    if (this.stateDue) messages.push(this.stateMessage());
    if (this.pendingLog.length > 0) messages.push({ type: 'log', lines: this.pendingLog });
    if (this.laddersDue) messages.push({ type: 'ladders', ladders: this.ladders.views() });
    this.stateDue = false;
    this.laddersDue = false;
    this.pendingLog = [];
    if (this.listeners.size === 0) return;
    for (const message of messages) for (const listener of this.listeners) listener(message);
  }
}
