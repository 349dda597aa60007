/**
 * The RTX console over an abstract terminal: bytes in (`receive`), bytes out (`terminal.write`),
 * a window size (`resize`), operating a router through RouterControl only. No sockets, no tty:
 * `rtxlab console` (and later telnet, SSH, the web page) adapt their I/O to it.
 *
 * A session moves through phases (login, commands, a password being typed, the save question,
 * the pager, a save in progress, closed) and holds one privilege: a user, or the administrator
 * with its own config session (its own `tunnel select`). Behaviour and sources:
 * rtx-behaviour.md §5.5 and docs/console.md.
 */
import { RTX1500_REV_8_03_75, type DeviceIdentity } from '../config/device-identity.js';
import { rtxErrorMessage, type ConsoleLanguage, type RtxErrorId } from '../config/errors.js';
import { interpreterFor } from '../config/read-config.js';
import type { ConsoleSettings } from '../config/views/console.js';
import { systemClock, type CancelTimer, type Clock } from '../router/clock.js';
import type { ApplyOutcome, RouterConfigSession, RouterControl } from '../router/rtx-router-api.js';
import { completionsFor, tabAnswer } from './completion.js';
import { helpLines } from './help-text.js';
import { dispatchLine, type LineDispatch } from './line-dispatch.js';
import { LineEditor, BELL, type EditorEvent } from './line-editor.js';
import { loginBanner } from './login-banner.js';
import { consoleMessage, loginLogLines, originLabel, type ConsoleMessageId, type SessionOrigin } from './messages.js';
import type { CommandEffect, PasswordTarget } from './operational-commands.js';
import { Pager } from './pager.js';
import { promptText, type PromptLevel } from './prompt.js';
import { SessionSettings } from './session-settings.js';
import { ConsoleInputDecoder, encodeConsoleText, type LineEncoding } from './text-codec.js';

/** The front end's side: where output goes, and how the session ends. */
export interface ConsoleTerminal {
  write(bytes: Buffer): void;
  /** The session is over (logout, login timer, failed login): close the connection or exit. */
  close(): void;
  /** The login succeeded (the web console shows its state panels only from here on). */
  loggedIn?(): void;
}

export interface WindowSize {
  readonly columns: number;
  readonly rows: number;
}

export interface ConsoleEngineOptions {
  readonly router: RouterControl;
  readonly terminal: ConsoleTerminal;
  /** Who is connected, for the login log lines (default: the serial console). */
  readonly origin?: SessionOrigin;
  /** Timers for `login timer` (default: the system clock). */
  readonly clock?: Pick<Clock, 'setTimer'>;
  /** `\r\n` on a terminal (default); `\n` when the output goes to a file or pipe. */
  readonly newline?: '\r\n' | '\n';
  /**
   * rtxlab option: false turns the pager off whatever `console lines` says (input piped from a
   * script, where the pager would swallow the next command's characters as keys).
   */
  readonly paging?: boolean;
  readonly lineEncoding?: LineEncoding;
  readonly window?: WindowSize;
  readonly device?: DeviceIdentity;
  /**
   * The transport has checked the login password already (SSH password authentication): the
   * session starts logged in, with no `Password:` prompt.
   */
  readonly loginChecked?: boolean;
}

/** A user, or the administrator with its own config session and its hold on administrator mode. */
type Privilege =
  | { readonly level: 'user' }
  | { readonly level: 'administrator'; readonly config: RouterConfigSession; readonly release: () => void };

type Phase =
  | { readonly kind: 'not-started' }
  | { readonly kind: 'login-user' }
  | { readonly kind: 'login-password'; readonly user: string | undefined }
  | { readonly kind: 'command' }
  | { readonly kind: 'administrator-password' }
  /** `login password` / `administrator password`: the old one (when set), the new one, the new one again. */
  | { readonly kind: 'password-change'; readonly target: PasswordTarget; readonly step: 'old' | 'new' }
  | { readonly kind: 'password-change'; readonly target: PasswordTarget; readonly step: 'again'; readonly first: string }
  | { readonly kind: 'confirm-save' }
  | { readonly kind: 'paging'; readonly pager: Pager }
  | { readonly kind: 'saving' }
  /** A command that takes time (`ping`) prints as it goes; typed keys wait, as during a save. */
  | { readonly kind: 'running' }
  | { readonly kind: 'closed' };

/** Wrong login passwords before the session ends (assumed: the RTX's limit was not found). */
const MAX_LOGIN_FAILURES = 3;

export class ConsoleEngine {
  private readonly router: RouterControl;
  private readonly terminal: ConsoleTerminal;
  private readonly origin: SessionOrigin;
  private readonly clock: Pick<Clock, 'setTimer'>;
  private readonly newline: string;
  private readonly paging: boolean;
  private readonly lineEncoding: LineEncoding;
  private readonly device: DeviceIdentity;
  private readonly loginChecked: boolean;
  private readonly index = interpreterFor().index;
  private readonly editor = new LineEditor();
  private readonly decoder: ConsoleInputDecoder;
  private window: WindowSize | undefined;
  private phase: Phase = { kind: 'not-started' };
  private privilege: Privilege = { level: 'user' };
  private readonly sessionSettings: SessionSettings;
  private loginFailures = 0;
  /** Characters typed while a save is in progress, processed after it. */
  private pending: string[] = [];
  private hangUpAfterSave = false;
  private cancelLoginTimer: CancelTimer | undefined;
  private readonly closedPromise: Promise<void>;
  private resolveClosed!: () => void;

  constructor(options: ConsoleEngineOptions) {
    this.router = options.router;
    this.sessionSettings = new SessionSettings(() => this.router.consoleSettings());
    this.terminal = options.terminal;
    this.origin = options.origin ?? { kind: 'serial' };
    this.clock = options.clock ?? systemClock;
    this.newline = options.newline ?? '\r\n';
    this.paging = options.paging ?? true;
    this.lineEncoding = options.lineEncoding ?? { kind: 'as-rtx' };
    this.device = options.device ?? RTX1500_REV_8_03_75;
    this.loginChecked = options.loginChecked ?? false;
    this.window = options.window;
    this.decoder = new ConsoleInputDecoder(this.settings().character, this.lineEncoding);
    this.closedPromise = new Promise((resolve) => {
      this.resolveClosed = resolve;
    });
  }

  /** Resolves when the session has ended. */
  get closed(): Promise<void> {
    return this.closedPromise;
  }

  /** The console settings in effect: the router's, with this session's user-mode changes. */
  settings(): ConsoleSettings {
    return this.sessionSettings.current();
  }

  /** Starts the session: the `Password:` prompt, or the prompt itself when no password is set. */
  start(): void {
    if (this.phase.kind !== 'not-started') return;
    const requirement = this.router.loginRequirement();
    if (!requirement.password || this.loginChecked) this.loggedIn();
    else if (requirement.user) this.askLine({ kind: 'login-user' }, 'user-name-prompt', true);
    else this.askLine({ kind: 'login-password', user: undefined }, 'password-prompt', false);
  }

  resize(window: WindowSize): void {
    this.window = window;
  }

  /** Bytes (or text already decoded) typed on the terminal. */
  receive(input: Uint8Array | string): void {
    if (this.phase.kind === 'closed') return;
    const text = typeof input === 'string' ? input : this.decoder.decode(input, this.settings().character);
    this.rearmLoginTimer();
    for (const ch of text) {
      if (this.busy()) this.pending.push(ch);
      else this.key(ch);
    }
  }

  /** A save or a long-running command is under way: input waits for it. */
  private busy(): boolean {
    return this.phase.kind === 'saving' || this.phase.kind === 'running';
  }

  /**
   * Ends the session from outside (the terminal went away, piped input ended): logs out as
   * `exit` would, once a save in progress and the input typed behind it are done.
   */
  hangUp(): void {
    if (this.phase.kind === 'closed') return;
    if (this.busy()) {
      this.hangUpAfterSave = true;
      return;
    }
    if (this.phase.kind !== 'not-started' && this.phase.kind !== 'login-user' && this.phase.kind !== 'login-password') {
      this.router.log('info', loginLogLines.logout(this.origin));
    }
    this.close();
  }

  // ---- input by phase

  private key(ch: string): void {
    const phase = this.phase;
    switch (phase.kind) {
      case 'not-started':
      case 'closed':
      case 'saving':
      case 'running':
        return;
      case 'paging':
        this.pagerKey(phase.pager, ch);
        return;
      default: {
        const event = this.editor.key(ch);
        if (event !== undefined) this.editorEvent(event);
      }
    }
  }

  private editorEvent(event: EditorEvent): void {
    switch (event.kind) {
      case 'echo':
        this.write(event.text);
        return;
      case 'bell':
        this.write(BELL);
        return;
      case 'list-candidates':
        if (this.phase.kind === 'command') this.listCandidates(event.line);
        return;
      case 'complete':
        if (this.phase.kind === 'command') this.complete(event.line);
        return;
      case 'submit':
        this.submitted(event.line);
        return;
    }
  }

  private submitted(line: string): void {
    this.write(this.newline);
    this.editor.echo = true;
    const phase = this.phase;
    switch (phase.kind) {
      case 'login-user':
        this.askLine({ kind: 'login-password', user: line.trim() }, 'password-prompt', false);
        return;
      case 'login-password':
        this.loginPassword(line, phase.user);
        return;
      case 'administrator-password':
        this.administratorPassword(line);
        return;
      case 'confirm-save':
        this.saveAnswer(line);
        return;
      case 'password-change':
        this.passwordChangeStep(phase, line);
        return;
      case 'command':
        this.runLine(line);
        return;
      default:
        return;
    }
  }

  // ---- login and administrator

  private askLine(phase: Phase, prompt: ConsoleMessageId, echo: boolean): void {
    this.phase = phase;
    this.editor.clear();
    this.editor.echo = echo;
    this.write(this.message(prompt));
  }

  private loginPassword(password: string, user: string | undefined): void {
    const check = this.router.checkLoginPassword(password, user);
    switch (check.kind) {
      case 'ok':
      case 'none-configured':
        this.loggedIn();
        return;
      case 'wrong':
        this.router.log('info', loginLogLines.loginFailed(this.origin));
        this.writeLines([this.error('incorrect-password')]);
        if (++this.loginFailures >= MAX_LOGIN_FAILURES) {
          this.close();
          return;
        }
        this.askAgain(user);
        return;
      case 'unknown-secret':
        this.writeLines([check.message]);
        this.close();
        return;
    }
  }

  /** Asks again after a wrong password (for the same user). */
  private askAgain(user: string | undefined): void {
    if (user !== undefined) this.askLine({ kind: 'login-user' }, 'user-name-prompt', true);
    else this.askLine({ kind: 'login-password', user: undefined }, 'password-prompt', false);
  }

  private loggedIn(): void {
    this.router.log('info', loginLogLines.loginSucceeded(this.origin));
    this.terminal.loggedIn?.();
    this.writeLines(loginBanner(this.device));
    this.commandPrompt();
    this.rearmLoginTimer();
  }

  private enterAdministrator(): void {
    if (this.privilege.level === 'administrator') {
      this.commandPrompt();
      return;
    }
    const claim = this.router.claimAdministrator(originLabel(this.origin));
    if (claim.kind === 'held') {
      this.fail('other-user-logged-in');
      return;
    }
    // Asked again once the password is right; holding it while the password is typed would lock others out.
    claim.release();
    // An empty password answers whether one is configured at all (no prompt then, as on the RTX).
    if (this.router.checkAdministratorPassword('').kind === 'none-configured') {
      this.becomeAdministrator();
      return;
    }
    this.askLine({ kind: 'administrator-password' }, 'password-prompt', false);
  }

  private administratorPassword(password: string): void {
    const check = this.router.checkAdministratorPassword(password);
    switch (check.kind) {
      case 'ok':
      case 'none-configured':
        this.becomeAdministrator();
        return;
      case 'wrong':
        this.router.log('info', loginLogLines.administratorFailed(this.origin));
        this.writeLines([this.error('incorrect-password')]);
        this.commandPrompt();
        return;
      case 'unknown-secret':
        this.writeLines([check.message]);
        this.commandPrompt();
        return;
    }
  }

  private becomeAdministrator(): void {
    const claim = this.router.claimAdministrator(originLabel(this.origin));
    if (claim.kind === 'held') {
      this.fail('other-user-logged-in');
      return;
    }
    this.privilege = { level: 'administrator', config: this.router.openConfigSession(), release: claim.release };
    this.router.log('info', loginLogLines.administratorSucceeded(this.origin));
    this.commandPrompt();
  }

  private leave(save: 'ask' | 'save'): void {
    if (this.privilege.level === 'user') {
      this.router.log('info', loginLogLines.logout(this.origin));
      this.close();
      return;
    }
    if (save === 'save') {
      this.save(true);
      return;
    }
    if (this.router.unsavedChanges) {
      this.askLine({ kind: 'confirm-save' }, 'save-question', true);
      this.write(' ');
      return;
    }
    this.leaveAdministrator();
  }

  private saveAnswer(answer: string): void {
    const first = answer.trim().toLowerCase()[0];
    if (first === 'y') this.save(true);
    else if (first === 'n') this.leaveAdministrator();
    else {
      // Anything else asks again (assumed).
      this.askLine({ kind: 'confirm-save' }, 'save-question', true);
      this.write(' ');
    }
  }

  private leaveAdministrator(): void {
    this.dropAdministrator();
    this.commandPrompt();
  }

  private save(thenLeave: boolean): void {
    this.phase = { kind: 'saving' };
    this.router.save().then(
      (outcome) => {
        if (this.phase.kind === 'closed') return;
        this.writeLines([outcome.kind === 'saved' ? this.message('saving-done') : outcome.message]);
        this.afterSave(thenLeave && outcome.kind === 'saved');
      },
      (error: unknown) => {
        if (this.phase.kind === 'closed') return;
        this.writeLines([String(error instanceof Error ? error.message : error)]);
        this.afterSave(false);
      },
    );
  }

  private stream(run: Extract<CommandEffect, { kind: 'stream' }>['run']): void {
    this.phase = { kind: 'running' };
    const print = (lines: readonly string[]): void => {
      if (this.phase.kind === 'running') this.writeLines(lines);
    };
    run(print).then(
      () => {
        if (this.phase.kind !== 'closed') this.afterSave(false);
      },
      (error: unknown) => {
        if (this.phase.kind === 'closed') return;
        this.writeLines([String(error instanceof Error ? error.message : error)]);
        this.afterSave(false);
      },
    );
  }

  /** After a save or a long-running command: the prompt, then the input typed meanwhile. */
  private afterSave(leave: boolean): void {
    if (leave) this.dropAdministrator();
    this.commandPrompt();
    const pending = this.pending;
    this.pending = [];
    for (const ch of pending) {
      if (this.busy()) this.pending.push(ch);
      else this.key(ch);
    }
    if (this.hangUpAfterSave && !this.busy()) {
      this.hangUpAfterSave = false;
      this.hangUp();
    }
  }

  // ---- commands

  private runLine(line: string): void {
    const dispatch = dispatchLine(line, this.index);
    switch (dispatch.kind) {
      case 'empty':
        this.commandPrompt();
        return;
      case 'unknown':
        this.fail(dispatch.error);
        return;
      case 'operational-error':
      case 'operational': {
        if (dispatch.command.privilege === 'administrator' && this.privilege.level === 'user') this.fail('administrator-use-only');
        else if (dispatch.kind === 'operational-error') this.fail(dispatch.error);
        else this.perform(dispatch.command.run(dispatch.args, { router: this.router, language: this.language() }));
        return;
      }
      case 'configuration':
        this.configurationLine(dispatch);
        return;
    }
  }

  private configurationLine({ text, pattern, negated }: Extract<LineDispatch, { kind: 'configuration' }>): void {
    if (this.privilege.level === 'administrator') {
      this.applied(this.privilege.config.apply(text), pattern);
      return;
    }
    if (pattern === undefined) {
      this.fail('invalid-command-name');
      return;
    }
    if (negated || !SessionSettings.userMaySet(pattern)) {
      this.fail('administrator-use-only');
      return;
    }
    const refused = this.sessionSettings.setForSession(text, pattern);
    if (refused === undefined) this.commandPrompt();
    else this.fail(refused);
  }

  private perform(effect: CommandEffect): void {
    switch (effect.kind) {
      case 'print':
        this.output(effect.lines);
        return;
      case 'nothing':
        this.commandPrompt();
        return;
      case 'help':
        this.output(helpLines(this.settings().language));
        return;
      case 'enter-administrator':
        this.enterAdministrator();
        return;
      case 'leave':
        this.leave(effect.save);
        return;
      case 'save':
        this.save(false);
        return;
      case 'stream':
        this.stream(effect.run);
        return;
      case 'change-password':
        this.changePassword(effect.target);
        return;
    }
  }

  private passwordCheck(target: PasswordTarget, password: string) {
    return target === 'login' ? this.router.checkLoginPassword(password) : this.router.checkAdministratorPassword(password);
  }

  private changePassword(target: PasswordTarget): void {
    // The old password is asked only when one is set (assumed).
    if (this.passwordCheck(target, '').kind === 'none-configured') {
      this.askLine({ kind: 'password-change', target, step: 'new' }, 'new-password-prompt', false);
    } else this.askLine({ kind: 'password-change', target, step: 'old' }, 'old-password-prompt', false);
  }

  private passwordChangeStep(phase: Extract<Phase, { kind: 'password-change' }>, typed: string): void {
    const { target } = phase;
    switch (phase.step) {
      case 'old': {
        const check = this.passwordCheck(target, typed);
        if (check.kind === 'ok' || check.kind === 'none-configured') {
          this.askLine({ kind: 'password-change', target, step: 'new' }, 'new-password-prompt', false);
        } else if (check.kind === 'wrong') this.fail('incorrect-password');
        else {
          this.writeLines([check.message]);
          this.commandPrompt();
        }
        return;
      }
      case 'new':
        this.askLine({ kind: 'password-change', target, step: 'again', first: typed }, 'new-password-prompt', false);
        return;
      case 'again': {
        // Two different entries: assumed to answer as a wrong password does.
        if (typed !== phase.first || this.privilege.level !== 'administrator') {
          this.fail('incorrect-password');
          return;
        }
        const command = `${target} password`;
        // An empty new password removes it (command reference §4.3).
        this.applied(this.privilege.config.apply(typed === '' ? `no ${command}` : `${command} ${quoteParameter(typed)}`), command);
        return;
      }
    }
  }

  private applied(outcome: ApplyOutcome, pattern: string | undefined): void {
    switch (outcome.kind) {
      case 'applied':
        this.sessionSettings.routerChanged(pattern);
        this.commandPrompt();
        return;
      case 'selected':
        this.commandPrompt();
        return;
      case 'warning':
        this.writeLines([outcome.message]);
        this.commandPrompt();
        return;
      case 'error':
        this.fail(outcome.error);
        return;
    }
  }

  private fail(error: RtxErrorId): void {
    this.writeLines([this.error(error)]);
    this.commandPrompt();
  }

  // ---- ? and TAB

  private listCandidates(line: string): void {
    const found = completionsFor(line, this.index);
    this.write(`?${this.newline}`);
    const words = [...found.candidates, ...found.labels];
    if (words.length > 0) this.writeLines([words.join(' ')]);
    this.write(this.prompt() + line);
  }

  private complete(line: string): void {
    const answer = tabAnswer(line, this.index);
    switch (answer.kind) {
      case 'replace':
        this.write(this.editor.replace(answer.line));
        return;
      case 'bell':
        this.write(BELL);
        return;
      case 'list':
        this.write(this.newline);
        this.writeLines([answer.words.join(' ')]);
        this.write(this.prompt() + line);
        return;
    }
  }

  // ---- output

  private output(lines: readonly string[]): void {
    const settings = this.settings();
    const rows = settings.lines;
    if (!this.paging || rows === 'infinity' || lines.length < rows) {
      this.writeLines(lines);
      this.commandPrompt();
      return;
    }
    const pager = new Pager(lines, Math.max(1, rows - 1), this.window?.columns ?? settings.columns);
    this.phase = { kind: 'paging', pager };
    this.pagerStep(pager, pager.first());
  }

  private pagerKey(pager: Pager, ch: string): void {
    const step = pager.key(ch);
    if (step.kind === 'ignored') return;
    this.write(this.eraseMore());
    if (step.kind === 'quit') {
      this.commandPrompt();
      return;
    }
    this.pagerStep(pager, step);
  }

  private pagerStep(pager: Pager, step: { readonly lines: readonly string[]; readonly more: boolean }): void {
    this.writeLines(step.lines);
    if (step.more) {
      this.phase = { kind: 'paging', pager };
      this.write(this.message('pager-more'));
    } else this.commandPrompt();
  }

  private eraseMore(): string {
    const more = this.message('pager-more');
    return `\r${' '.repeat(more.length * 2)}\r`;
  }

  prompt(): string {
    const level: PromptLevel =
      this.privilege.level === 'user' ? { level: 'user' } : { level: 'administrator', context: this.privilege.config.context };
    return promptText(this.settings().prompt, level);
  }

  private commandPrompt(): void {
    this.phase = { kind: 'command' };
    this.editor.clear();
    this.editor.echo = true;
    this.write(this.prompt());
  }

  private error(id: RtxErrorId): string {
    return rtxErrorMessage(id, this.language());
  }

  private message(id: ConsoleMessageId): string {
    return consoleMessage(id, this.language());
  }

  private language(): ConsoleLanguage {
    return this.settings().language;
  }

  private writeLines(lines: readonly string[]): void {
    if (lines.length > 0) this.write(lines.map((line) => line + this.newline).join(''));
  }

  private write(text: string): void {
    if (text === '' || this.phase.kind === 'closed') return;
    this.terminal.write(encodeConsoleText(text, this.settings().character, this.lineEncoding));
  }

  private rearmLoginTimer(): void {
    this.cancelLoginTimer?.();
    this.cancelLoginTimer = undefined;
    const timer = this.settings().loginTimer;
    if (timer === 'clear' || this.phase.kind === 'not-started') return;
    this.cancelLoginTimer = this.clock.setTimer(timer * 1000, () => {
      if (this.phase.kind === 'closed') return;
      this.router.log('info', loginLogLines.loginTimerExpired(this.origin));
      this.close();
    });
  }

  private dropAdministrator(): void {
    if (this.privilege.level === 'administrator') this.privilege.release();
    this.privilege = { level: 'user' };
  }

  private close(): void {
    this.dropAdministrator();
    this.cancelLoginTimer?.();
    this.cancelLoginTimer = undefined;
    this.phase = { kind: 'closed' };
    this.terminal.close();
    this.resolveClosed();
  }
}

/** A parameter as the config reader reads it back whatever it holds (command reference §1.5). */
function quoteParameter(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
