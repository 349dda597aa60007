/**
 * A RouterControl over a real ConfigModel and ConfigSession, a real LogSink and a ManualClock,
 * with IPsec state and tunnels a test sets: for engine tests until RtxRouter lands on main.
 * Only what the console uses is real; the IKE side is whatever the test puts in `ipsec`.
 */
import { writeFileSync } from 'node:fs';
import { readConfig } from '../../../src/config/read-config.js';
import { ConfigSession } from '../../../src/config/read-config.js';
import type { ConfigModel } from '../../../src/config/model.js';
import { showConfig, type ConfigPart } from '../../../src/config/show-config/show-config.js';
import { consoleSettings, type ConsoleSettings } from '../../../src/config/views/console.js';
import type { StoredSecret } from '../../../src/config/families/console.js';
import type { IpsecState } from '../../../src/ike-responder/ipsec-state.js';
import type { LogLevel } from '../../../src/ike-responder/port.js';
import { ManualClock } from '../../../src/router/clock.js';
import { LogSink, type LogEntry } from '../../../src/router/log-sink.js';
import type {
  ApplyOutcome,
  LeaseRecord,
  PasswordCheck,
  RouterConfigSession,
  RouterControl,
  SaveOutcome,
  TunnelView,
} from '../../../src/router/rtx-router-api.js';

export const EMPTY_IPSEC: IpsecState = { totals: { isakmp: 0, send: 0, recv: 0 }, isakmpSas: [], ipsecSas: [], tunnels: [] };

export class ConfigBackedRouter implements RouterControl {
  readonly listening = undefined;
  readonly clock: ManualClock;
  readonly bootedAt: number;
  readonly logSink: LogSink;
  readonly config: ConfigModel;
  unsavedChanges = false;
  ipsec: IpsecState = EMPTY_IPSEC;
  tunnelViews: TunnelView[] = [];
  saved: string[] = [];
  deleted: (number | 'all')[] = [];
  refreshed = 0;
  private readonly savePath: string | undefined;

  constructor(text: string, options: { startMs?: number; savePath?: string } = {}) {
    const read = readConfig(text);
    if (read.problems.length > 0) throw new Error(`bad test config: ${JSON.stringify(read.problems)}`);
    this.config = read.model;
    this.clock = new ManualClock(options.startMs ?? Date.UTC(2026, 11, 5, 0, 0, 0));
    this.bootedAt = this.clock.now();
    this.logSink = new LogSink({ clock: this.clock });
    this.savePath = options.savePath;
  }

  on(): () => void {
    return () => undefined;
  }
  waitFor(): Promise<never> {
    return Promise.reject(new Error('not in the config-backed router'));
  }
  ipsecState(): IpsecState {
    return this.ipsec;
  }
  tunnels(): TunnelView[] {
    return this.tunnelViews;
  }
  leases(): LeaseRecord[] {
    return [];
  }
  counters(): never {
    throw new Error('not in the config-backed router');
  }
  logEntries(): LogEntry[] {
    return this.logSink.entries();
  }
  consoleSettings(): ConsoleSettings {
    return consoleSettings(this.config);
  }
  showConfig(part?: ConfigPart): string {
    return showConfig(this.config, { now: new Date(this.clock.now()), ...(part === undefined ? {} : { part }) });
  }
  now(): number {
    return this.clock.now();
  }
  openConfigSession(): RouterConfigSession {
    const session = new ConfigSession(this.config);
    return {
      get context() {
        return session.context;
      },
      apply: (line) => this.applyIn(session, line),
    };
  }
  apply(line: string): ApplyOutcome {
    return this.applyIn(new ConfigSession(this.config), line);
  }
  private applyIn(session: ConfigSession, line: string): ApplyOutcome {
    const result = session.execute(line);
    switch (result.kind) {
      case 'applied':
        this.unsavedChanges = true;
        return { kind: 'applied' };
      case 'selected':
        return { kind: 'selected', context: result.context };
      case 'skipped-absent':
        return { kind: 'warning', message: `${result.name}: ${result.reason}` };
      case 'error':
        return result.detail === undefined ? { kind: 'error', error: result.error } : { kind: 'error', error: result.error, detail: result.detail };
    }
  }
  async save(): Promise<SaveOutcome> {
    const text = showConfig(this.config, { now: new Date(this.clock.now()) });
    this.saved.push(text);
    if (this.savePath !== undefined) writeFileSync(this.savePath, text);
    this.unsavedChanges = false;
    return { kind: 'saved', path: this.savePath ?? 'memory' };
  }
  checkLoginPassword(password: string): PasswordCheck {
    return check(this.consoleSettings().loginPassword, password);
  }
  checkAdministratorPassword(password: string): PasswordCheck {
    return check(this.consoleSettings().administratorPassword, password);
  }
  loginRequirement(): { password: boolean; user: boolean } {
    const settings = this.consoleSettings();
    return { password: settings.loginPassword !== undefined, user: settings.loginUsers.length > 0 };
  }
  deleteIpsecSa(target: number | 'all'): number {
    this.deleted.push(target);
    return 0;
  }
  refreshSa(): number {
    this.refreshed++;
    return 0;
  }
  clearLog(): void {
    this.logSink.clear();
  }
  log(level: LogLevel, message: string): void {
    this.logSink.log(level, message);
  }
}

function check(secret: StoredSecret | undefined, password: string): PasswordCheck {
  if (secret === undefined) return { kind: 'none-configured' };
  if (secret.kind === 'masked') return { kind: 'unknown-secret', message: 'rtxlab: the password is masked in the config' };
  return secret.value === password ? { kind: 'ok' } : { kind: 'wrong' };
}
