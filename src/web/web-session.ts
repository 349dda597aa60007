/**
 * One page's WebSocket: a console session on the router (the RTX's own login: `Password:` when
 * one is configured) and, once it has logged in, the live feed. Before the login the page gets
 * terminal output only; after the console session ends it gets nothing more and the socket closes.
 */
import type { RouterControl } from '../router/rtx-router-api.js';
import { ConsoleEngine } from '../console/console-engine.js';
import { loginLogLines } from '../console/messages.js';
import type { LiveFeed } from './live-feed.js';
import { runMatrixForPage } from './matrix-run.js';
import type { WebLogins } from './web-logins.js';
import type { ClientMessage, ServerMessage } from './messages.js';

export interface WebSessionOptions {
  readonly router: RouterControl;
  readonly feed: LiveFeed;
  /** The page's address, for the console's login log lines (`HTTP: 127.0.0.1`). */
  readonly remoteAddress: string;
  readonly send: (message: ServerMessage) => void;
  /** The console session ended: close the socket. */
  readonly end: () => void;
  /** The logins that outlive a page (the session cookie). */
  readonly logins: WebLogins;
  /**
   * The page came with the cookie of a live session: its console starts logged in (login level;
   * administrator mode asks its password again).
   */
  readonly resumedSessionId?: string;
  /** Wall clock for the session cookie's expiry (default Date.now). */
  readonly now?: () => number;
  /** The seed matrix run for this page (default: runMatrixForPage, every row). */
  readonly runMatrix?: (send: (message: ServerMessage) => void) => Promise<void>;
}

/** Terminal sizes a page may ask for (xterm.js fit addon answers within these on any screen). */
const MAX_COLUMNS = 500;
const MAX_ROWS = 200;

export class WebSession {
  private readonly engine: ConsoleEngine;
  private unsubscribeFeed: (() => void) | undefined;
  private ended = false;
  private loggedInYet = false;
  private matrixRunning = false;
  /** The login's session (cookie), once logged in. */
  private sessionId: string | undefined;
  /** The page went away (not a logout): the session cookie stays good for a reload. */
  private hungUp = false;

  /** Whether the session is still at its login prompt. */
  get atLogin(): boolean {
    return !this.loggedInYet && !this.ended;
  }

  constructor(private readonly options: WebSessionOptions) {
    this.engine = new ConsoleEngine({
      router: options.router,
      origin: { kind: 'http', address: options.remoteAddress },
      // xterm.js decodes UTF-8 whatever `console character` says (as `rtxlab console --utf8`).
      lineEncoding: { kind: 'utf-8' },
      loginChecked: options.resumedSessionId !== undefined,
      terminal: {
        write: (bytes) => options.send({ type: 'terminal-output', data: bytes.toString('utf8') }),
        close: () => this.finish(),
        loggedIn: () => this.loggedIn(),
      },
    });
  }

  start(): void {
    this.engine.start();
  }

  receive(message: ClientMessage): void {
    switch (message.type) {
      case 'terminal-input':
        this.touchSession();
        this.engine.receive(message.data);
        return;
      case 'terminal-resize':
        this.engine.resize({ columns: clamp(message.columns, 1, MAX_COLUMNS), rows: clamp(message.rows, 1, MAX_ROWS) });
        return;
      case 'capture-request':
        this.capture(message.ladderId, message.administratorPassword);
        return;
      case 'matrix-run':
        this.matrix();
        return;
    }
  }

  /** The socket went away: log out as a hang-up does. */
  hangUp(): void {
    this.hungUp = true;
    // Idle time counts from the page's departure: a reload soon after finds the session alive.
    this.touchSession();
    this.engine.hangUp();
    this.finish();
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private touchSession(): void {
    if (this.sessionId !== undefined) this.options.logins.touch(this.sessionId, this.now());
  }

  /** The administrator's download: a logged-in page, and the administrator password (as `administrator` asks it). */
  private capture(ladderId: string, password: string): void {
    if (!this.loggedInYet || this.ended) return;
    const refuse = (reason: string) => this.options.send({ type: 'capture-refused', ladderId, reason });
    const check = this.options.router.checkAdministratorPassword(password);
    if (check.kind === 'wrong') {
      this.options.router.log('info', loginLogLines.administratorFailed({ kind: 'http', address: this.options.remoteAddress }));
      refuse('Incorrect administrator password');
      return;
    }
    if (check.kind === 'unknown-secret') {
      refuse(check.message);
      return;
    }
    const capture = this.options.feed.capture(ladderId);
    if (capture === undefined) {
      refuse('no such ladder (no longer kept)');
      return;
    }
    const stem = `rtxlab-${ladderId.replace(/[^0-9a-f]/g, '-')}`;
    this.options.send({
      type: 'capture',
      ladderId,
      fileName: `${stem}.pcap`,
      datagrams: capture.datagrams,
      pcapBase64: capture.file.toString('base64'),
      keys: { fileName: `${stem}.keys`, ikev1DecryptionTable: capture.keys.ikev1DecryptionTable, espSaFileName: `${stem}.keys.esp_sa`, espSa: capture.keys.espSa },
    });
  }

  /**
   * The seed matrix on routers of its own (never the live one), after the login, one run at a
   * time per page: a second click while one runs is refused, not queued. Its messages stop when
   * the page goes; the run itself ends by itself (every row is bounded in time).
   */
  private matrix(): void {
    // Before the login a page gets terminal output and nothing else (ignored, as a capture request is).
    if (!this.loggedInYet || this.ended) return;
    const send = (message: ServerMessage): void => {
      if (!this.ended) this.options.send(message);
    };
    if (this.matrixRunning) {
      send({ type: 'matrix-refused', reason: 'the matrix is already running for this page; its rows are on their way' });
      return;
    }
    this.matrixRunning = true;
    void (this.options.runMatrix ?? runMatrixForPage)(send).finally(() => {
      this.matrixRunning = false;
    });
  }

  private loggedIn(): void {
    this.loggedInYet = true;
    if (this.options.resumedSessionId !== undefined) {
      this.sessionId = this.options.resumedSessionId;
      this.options.send({ type: 'logged-in', resumed: true });
    } else {
      const { sessionId, claim } = this.options.logins.open(this.now());
      this.sessionId = sessionId;
      this.options.send({ type: 'logged-in', sessionClaim: claim });
    }
    for (const message of this.options.feed.snapshot()) this.options.send(message);
    this.unsubscribeFeed = this.options.feed.subscribe(this.options.send);
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    // The console session ended by itself (exit, quit, the login timer, three wrong passwords): a logout, so the cookie goes too.
    if (!this.hungUp && this.sessionId !== undefined) this.options.logins.revoke(this.sessionId);
    this.unsubscribeFeed?.();
    this.options.send({ type: 'terminal-closed' });
    this.options.end();
  }
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, Math.floor(value)));
}

/** A page's message, or undefined for anything else (a hostile or broken page is ignored, not trusted). */
export function parseClientMessage(text: string): ClientMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  if (record['type'] === 'terminal-input' && typeof record['data'] === 'string') return { type: 'terminal-input', data: record['data'] };
  if (record['type'] === 'terminal-resize' && Number.isFinite(record['columns']) && Number.isFinite(record['rows'])) {
    return { type: 'terminal-resize', columns: record['columns'] as number, rows: record['rows'] as number };
  }
  if (record['type'] === 'matrix-run') return { type: 'matrix-run' };
  if (record['type'] === 'capture-request' && typeof record['ladderId'] === 'string' && typeof record['administratorPassword'] === 'string') {
    return { type: 'capture-request', ladderId: record['ladderId'], administratorPassword: record['administratorPassword'] };
  }
  return undefined;
}
