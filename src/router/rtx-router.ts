/**
 * `RtxRouter`: the composition root. One running RTX1500 built from config text or a file plus
 * options; it owns the config model and its sessions, the RTX IKE responder, the UDP router and
 * the log sink, and it is what every front end drives (the CLI, the matrix, the bench, the
 * console, the web console, test suites through the library API). Front ends see typed events
 * and views (rtx-router-api.ts), never log text to parse and never the parts inside.
 */
import { readFile } from 'node:fs/promises';
import { DEFAULT_CONFIG_TEXT } from '../config/default-config.js';
import { RTX1500_REV_8_03_75 } from '../config/device-identity.js';
import type { ConfigModel } from '../config/model.js';
import { ConfigSession, interpreterFor, type LineResult, type ReadResult } from '../config/read-config.js';
import { startupReport } from '../config/startup-report.js';
import { showConfig, type ConfigPart } from '../config/show-config/show-config.js';
import { consoleSettings, type ConsoleSettings } from '../config/views/console.js';
import { syslogSettings } from '../config/views/syslog.js';
import { describePayload, formatIdentity, payloadName, type Identity, type PayloadDescription } from '../ike/codec/index.js';
import { exchangeTypeName } from '../ike/constants.js';
import type { IpsecState } from '../ike-responder/ipsec-state.js';
import { policyFromConfig, type PolicyOptions } from '../ike-responder/policy-from-config.js';
import type { InstalledIpsecSa, LogLevel, ResponderEvent } from '../ike-responder/port.js';
import { DEFAULT_RESPONDER_LIMITS, RtxIkeResponder, type ResponderLimits, type RtxIkeResponderOptions } from '../ike-responder/responder.js';
import { initiatingPolicyFromConfig } from '../ike-initiator/initiating-policy.js';
import { RtxIkeInitiator } from '../ike-initiator/initiator.js';
import { mergeIpsecStates } from '../ike-initiator/state-rows.js';
import { SaNumbers } from '../ike-responder/sa-numbers.js';
import { checkPingRequest, PING_DEFAULTS, pingRequestPacket, readPingReply, type PingReply, type PingRequest, type PingResult } from './router-ping.js';
import { bootLogMessages } from './boot-banner.js';
import { systemClock, type Clock } from './clock.js';
import { writeFileAtomically } from './config-file.js';
import { routerInside, type RouterInside } from './lan.js';
import { LogSink, type LogEntry } from './log-sink.js';
import { createOutboundPolicy } from './outbound-policy.js';
import { checkAdministratorPassword, checkLoginPassword, loginRequirement } from './passwords.js';
import { PcapWriter } from './pcap-writer.js';
import { SyslogClient } from './syslog-client.js';
import { describeProblem } from './problem-text.js';
import { gatewaySuites, HintWatcher } from './hints.js';
import { Router, type ObservedEffect, type RouterProblem } from './router.js';
import { KEEPALIVE_ECHO_IDENTIFIER } from './data-plane.js';
import { espSaRecords } from './esp-sa-file.js';
import { formatDecryptionTableLine } from './keys-file.js';
import type {
  AdministratorClaim,
  ApplyOutcome,
  DecodedIkeMessage,
  IpsecSaEvent,
  KeyMaterialRecord,
  LeaseRecord,
  PasswordCheck,
  RouterConfigSession,
  RouterControl,
  RouterEvent,
  RouterEventOf,
  RouterEventType,
  RtxRouterOptions,
  SaveOutcome,
  TunnelView,
} from './rtx-router-api.js';
import { RouterStartError } from './start-errors.js';
import type { WireDatagram } from './udp-transport.js';

/** A config that cannot be read at all (a file that cannot be opened). */
export class ConfigLoadError extends Error {
  override name = 'ConfigLoadError';
}

/** How many recent message keys are remembered to mark retransmissions (bounded memory). */
const REMEMBERED_MESSAGES = 4096;

/** `waitFor`'s default patience. */
const DEFAULT_WAIT_MS = 10_000;

type Listener = (event: RouterEvent) => void;

export class RtxRouter implements RouterControl {
  private readonly clock: Clock;
  private readonly logSink: LogSink;
  private readonly responder: RtxIkeResponder;
  /** The RTX's initiating side (ipsec auto refresh, traffic, rekey); shares the router's sockets. */
  private readonly initiator: RtxIkeInitiator;
  /** One numbering for `show ipsec sa`, the SAs answered and the SAs initiated alike. */
  private readonly saNumbers = new SaNumbers();
  private readonly router: Router;
  /** The next ICMP identifier of the router's own `ping`. */
  // Never the keepalive echo's identifier (data-plane.ts): replies are told apart by it.
  private pingIdentifier = 0x7274;
  /** rtxlab's hints (`hint` events); undefined under `hints: false`. */
  private readonly hintWatcher: HintWatcher | undefined;
  private readonly defaultSession: ConfigSession;
  private readonly listeners = new Map<RouterEventType, Set<Listener>>();
  /** `onKeyMaterial`'s listeners: apart from the events, so that nothing subscribing to every event gets keys. */
  private readonly keyListeners = new Set<(record: KeyMaterialRecord) => void>();
  /** IPsec SA pairs by inbound SPI (hex), to describe their removal as they were installed. */
  private readonly installedSas = new Map<string, IpsecSaEvent>();
  /** Recent messages by direction + header + payload list, to mark retransmissions. */
  private readonly seenMessages = new Set<string>();
  private changed = false;
  private state: 'created' | 'starting' | 'running' | 'stopped' = 'created';
  private unsubscribeLog: (() => void) | undefined;
  private startedAt: number | undefined;
  /** The session in administrator mode, if any (its release checks it is still the holder). */
  private administrator: { readonly holder: string; readonly claim: object } | undefined;
  private pcap: PcapWriter | undefined;
  private syslog: SyslogClient | undefined;

  /**
   * Builds a router from config text already read (`RtxRouter.create` reads files). Bad config
   * lines are skipped, as the router does with a config file; `configReport` lists them.
   */
  constructor(
    readonly configReport: ReadResult,
    private readonly options: RtxRouterOptions = {},
    /** What reading the config at start had to say (the line tally, bad lines, what will make every client fail). */
    readonly startup: { readonly summary: readonly string[]; readonly warnings: readonly string[] } = { summary: [], warnings: [] },
  ) {
    this.clock = options.clock ?? systemClock;
    const model = configReport.model;
    this.defaultSession = new ConfigSession(model, interpreterFor(undefined, options.maxTunnels), options.acceptNewerValues === true);
    const console = consoleSettings(model);
    this.logSink = new LogSink({
      clock: this.clock,
      settings: syslogSettings(model),
      utcOffsetMinutes: console.timezone.offsetMinutes,
      ...(options.logOutput ? { sendOut: options.logOutput } : {}),
    });
    this.responder = new RtxIkeResponder(policyFromConfig(model, this.policyOptions()), this.responderOptions());
    this.initiator = new RtxIkeInitiator(initiatingPolicyFromConfig(model, this.policyOptions()), {
      ...(options.randomBytes === undefined ? {} : { random: options.randomBytes }),
      // Configs name production peers: the router initiates only where syslog may go.
      outbound: createOutboundPolicy({ allowOutbound: options.allowOutbound === true }),
      saNumbers: this.saNumbers,
      peerMadeSas: (tunnelId) => this.responder.hasIpsecSasOnTunnel(tunnelId),
    });
    this.router = new Router({
      bind: options.bind ?? '127.0.0.1',
      ikePort: options.ikePort ?? 500,
      nattPort: options.nattPort ?? 4500,
      ...(options.udpReceiveBufferBytes === undefined ? {} : { receiveBufferBytes: options.udpReceiveBufferBytes }),
      ...(options.keysFile === undefined ? {} : { keysFile: options.keysFile }),
      inside: this.insideFor(model),
      responder: this.responder,
      initiator: this.initiator,
      logSink: this.logSink,
      clock: this.clock,
      ...(options.impair === undefined ? {} : { impair: options.impair }),
      ...(options.lanTun === undefined ? {} : { lanTun: options.lanTun }),
      ...(options.rawEsp === undefined ? {} : { rawEsp: options.rawEsp }),
    });
    this.router.on('problem', (problem) => this.report(problem));
    this.hintWatcher = options.hints === false ? undefined : new HintWatcher({ gatewaySuites: () => gatewaySuites(this.config) });
    this.router.on('datagram', (datagram) => this.observeDatagram(datagram));
    this.router.on('effect', (effect) => this.observeEffect(effect));
    this.router.on('ike-keys', (keys) =>
      this.emitKeys(() => ({
        kind: 'ikev1',
        initiatorCookie: keys.initiatorCookie.toString('hex'),
        decryptionTableLine: formatDecryptionTableLine(keys.initiatorCookie, keys.encryptionKey),
      })),
    );
  }

  /**
   * Reads the config (the file, the text, or the embedded default) and builds the router. Rejects
   * with a ConfigLoadError when the file cannot be read, is no config text (binary, UTF-16, ...),
   * or, under `strict`, has a rejected line.
   */
  static async create(options: RtxRouterOptions = {}): Promise<RtxRouter> {
    const source = options.config;
    let input: string | Uint8Array = DEFAULT_CONFIG_TEXT;
    let label = 'default config';
    if (source !== undefined && 'file' in source) {
      label = source.file;
      try {
        input = await readFile(source.file);
      } catch (error) {
        throw new ConfigLoadError(`cannot read config ${source.file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
    } else if (source !== undefined) {
      input = source.text;
      label = 'config text';
    }
    const report = startupReport(input, {
      label,
      ...(options.strict === undefined ? {} : { strict: options.strict }),
      ...(options.acceptNewerValues === undefined ? {} : { acceptNewerValues: options.acceptNewerValues }),
      ...(options.maxTunnels === undefined ? {} : { maxTunnels: options.maxTunnels }),
      suppliedKeys: new Set(options.psk?.keys() ?? []),
    });
    if (report.refusal !== undefined || report.read === undefined) throw new ConfigLoadError(report.refusal ?? `${label}: not read`);
    return new RtxRouter(report.read, options, { summary: report.summary, warnings: report.warnings });
  }

  // --- life ----------------------------------------------------------------------------------------

  get listening(): { readonly ike: { address: string; port: number }; readonly natt: { address: string; port: number } } | undefined {
    return this.router.listening;
  }

  /** When `start()` succeeded (`show status boot`, `show environment`). */
  get bootedAt(): number | undefined {
    return this.startedAt;
  }

  /** The router's clock. */
  now(): number {
    return this.clock.now();
  }

  /** Opens the sockets and files, logs the boot lines; rejects with a RouterStartError saying why not. */
  async start(): Promise<{ ike: { address: string; port: number }; natt: { address: string; port: number } }> {
    if (this.state !== 'created') throw new Error(`router already ${this.state === 'stopped' ? 'stopped' : 'started'}`);
    this.state = 'starting';
    let listening;
    try {
      if (this.options.pcapFile !== undefined) {
        this.pcap = PcapWriter.open(this.options.pcapFile, { onError: (error) => this.report({ kind: 'capture-failed', error }) });
      }
      listening = await this.router.start();
    } catch (error) {
      this.state = 'stopped';
      this.pcap?.close();
      this.pcap = undefined;
      throw error;
    }
    this.syslog = this.syslogClient();
    this.unsubscribeLog = this.logSink.subscribe((entry) => {
      this.syslog?.send(entry);
      this.emit({ type: 'log', entry });
    });
    this.state = 'running';
    this.startedAt = this.clock.now();
    // `listening` first: harnesses (`--events ndjson`) wait for it before anything else.
    this.emit({ type: 'listening', ike: listening.ike, natt: listening.natt });
    for (const message of bootLogMessages(RTX1500_REV_8_03_75)) this.logSink.log('info', message);
    return listening;
  }

  /** Releases every socket, timer and file handle. Safe to call twice, or before start. */
  async stop(): Promise<void> {
    if (this.state === 'stopped' || this.state === 'created') {
      this.state = 'stopped';
      return;
    }
    this.state = 'stopped';
    await this.router.stop();
    this.unsubscribeLog?.();
    this.pcap?.close();
    this.pcap = undefined;
    await this.syslog?.close();
    this.syslog = undefined;
    this.emit({ type: 'stopped' });
    this.listeners.clear();
    this.keyListeners.clear();
  }

  // --- events --------------------------------------------------------------------------------------

  on<T extends RouterEventType>(type: T, listener: (event: RouterEventOf<T>) => void): () => void {
    let set = this.listeners.get(type);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(type, set);
    }
    const entry = listener as Listener;
    set.add(entry);
    return () => {
      set.delete(entry);
    };
  }

  waitFor<T extends RouterEventType>(type: T, predicate: (event: RouterEventOf<T>) => boolean = () => true, timeoutMs = DEFAULT_WAIT_MS): Promise<RouterEventOf<T>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`waitFor('${type}'): no matching event within ${timeoutMs} ms`));
      }, timeoutMs);
      const off = this.on(type, (event) => {
        if (!predicate(event)) return;
        clearTimeout(timer);
        off();
        resolve(event);
      });
    });
  }

  onKeyMaterial(listener: (record: KeyMaterialRecord) => void): () => void {
    this.keyListeners.add(listener);
    return () => {
      this.keyListeners.delete(listener);
    };
  }

  /** Builds the record only when someone asked for keys (formatting ESP records costs). */
  private emitKeys(record: () => KeyMaterialRecord): void {
    if (this.keyListeners.size === 0) return;
    const built = record();
    for (const listener of [...this.keyListeners]) {
      try {
        listener(built);
      } catch (error) {
        this.report({ kind: 'listener-threw', event: 'key-material', error });
      }
    }
  }

  private emit(event: RouterEvent): void {
    this.emitTo(event);
    // After the event itself, so a hint follows the line or message it explains.
    if (this.hintWatcher === undefined || event.type === 'hint' || event.type === 'problem') return;
    try {
      for (const hint of this.hintWatcher.observe(event)) this.emitTo({ type: 'hint', ...hint });
    } catch (error) {
      // A hint is an extra: its failure is reported, never allowed to stop the event that caused it.
      const problem = { kind: 'listener-threw', event: 'hint', error } as const;
      this.emitTo({ type: 'problem', problem, text: describeProblem(problem) });
    }
  }

  private emitTo(event: RouterEvent): void {
    const set = this.listeners.get(event.type);
    if (set === undefined) return;
    for (const listener of [...set]) {
      try {
        listener(event);
      } catch (error) {
        // A listener's bug must not stop the router, nor reach the socket's event loop.
        if (event.type !== 'problem') {
          const problem = { kind: 'listener-threw', event: event.type, error } as const;
          this.emitTo({ type: 'problem', problem, text: describeProblem(problem) });
        }
      }
    }
  }

  /** A problem as an event, with its one line of text (problem-text.ts). */
  private report(problem: RouterProblem): void {
    this.emit({ type: 'problem', problem, text: describeProblem(problem) });
  }

  private observeDatagram(wire: WireDatagram): void {
    if (this.pcap === undefined && !this.listeners.get('datagram')?.size) return;
    const datagram = { ...wire, time: this.clock.now() };
    this.pcap?.write(datagram);
    this.emit({ type: 'datagram', datagram });
  }

  private observeEffect(effect: ObservedEffect): void {
    switch (effect.kind) {
      case 'event':
        return this.observeResponderEvent(effect.event);
      case 'ipsec-sa-installed': {
        const sa = ipsecSaEvent(effect.sa);
        this.installedSas.set(sa.inboundSpi, sa);
        this.emitKeys(() => ({ kind: 'esp', peer: effect.sa.peer, espSaLines: espSaRecords(effect.sa) }));
        this.emit({ type: 'ipsec-sa-up', sa });
        if (effect.tunnelCameUp) this.emit({ type: 'tunnel-up', tunnelId: sa.tunnelId, gatewayId: sa.gatewayId, peer: sa.peer, sa });
        return;
      }
      case 'ipsec-sa-removed': {
        const inboundSpi = effect.inboundSpi.toString('hex');
        const sa = this.installedSas.get(inboundSpi);
        this.installedSas.delete(inboundSpi);
        if (sa !== undefined) this.emit({ type: 'ipsec-sa-down', sa, reason: effect.reason });
        if (effect.tunnelWentDown) this.emit({ type: 'tunnel-down', tunnelId: effect.tunnelId, reason: effect.reason });
        return;
      }
    }
  }

  private observeResponderEvent(event: ResponderEvent): void {
    switch (event.type) {
      case 'ike-message': {
        // Describing payloads costs: only when someone listens (the ladder, doctor, ndjson) or
        // the hint watcher reads them (a wrong key, the proposals a client offered); for the
        // watcher alone, only the payloads it reads the details of.
        const listened = (this.listeners.get('ike-message')?.size ?? 0) > 0;
        if (!listened && this.hintWatcher === undefined) return;
        return this.emit({ type: 'ike-message', message: this.decodedMessage(event, listened ? 'every payload' : 'what hints read') });
      }
      case 'isakmp-sa-up':
        return this.emit({
          type: 'isakmp-sa-up',
          number: event.number,
          gatewayId: event.gatewayId,
          peer: event.peer,
          cookies: hexCookies(event.cookies),
          cipher: event.cipher,
          hash: event.hash,
          group: event.group,
          message3Encrypted: event.message3Encrypted,
        });
      case 'isakmp-sa-down':
        return this.emit({ type: 'isakmp-sa-down', peer: event.peer, cookies: hexCookies(event.cookies), number: event.number, reason: event.reason });
      case 'xauth':
        return this.emit({
          type: 'xauth',
          peer: event.peer,
          cookies: hexCookies(event.cookies),
          ...(event.user === undefined ? {} : { user: event.user }),
          ok: event.ok,
          ...(event.reason === undefined ? {} : { reason: event.reason }),
        });
      case 'lease':
        return this.emit({ type: 'lease', address: event.address, peer: event.peer, cookies: hexCookies(event.cookies), user: event.user });
      case 'lease-released':
        return this.emit({ type: 'lease-released', address: event.address });
    }
  }

  private decodedMessage(event: Extract<ResponderEvent, { type: 'ike-message' }>, details: 'every payload' | 'what hints read'): DecodedIkeMessage {
    const { header, payloads } = event;
    const described =
      details === 'every payload' || HintWatcher.readsPayloadDetails({ direction: event.direction, exchange: exchangeTypeName(header.exchangeType), encrypted: (header.flags & 1) !== 0 });
    const names = payloads?.map((payload): PayloadDescription => (described ? describePayload(payload) : { name: payloadName(payload) })) ?? [];
    // Each cookie turned into hex once, for the key and for the event.
    const cookies = hexCookies({ initiatorCookie: header.initiatorCookie, responderCookie: header.responderCookie });
    // A message sent or received again has the same header and payloads (the RTX and its peers
    // resend stored bytes); kept per direction, bounded.
    let nameList = '';
    for (const name of names) nameList = nameList === '' ? name.name : `${nameList},${name.name}`;
    // Joined, not concatenated: V8 keeps a template literal's result as a tree of its parts (about
    // 600 bytes of heap a key, with the cookies' hex and the payload names), a join as one flat
    // string (about 110); the set holds up to REMEMBERED_MESSAGES keys (bench/tunnel-memory.ts).
    const key = [event.direction, cookies.initiator, cookies.responder, header.exchangeType, header.messageId, header.length, nameList].join('|');
    const retransmission = this.seenMessages.has(key);
    if (!retransmission) {
      this.seenMessages.add(key);
      if (this.seenMessages.size > REMEMBERED_MESSAGES) this.seenMessages.delete(this.seenMessages.values().next().value!);
    }
    return {
      direction: event.direction,
      time: this.clock.now(),
      peer: event.peer,
      cookies,
      exchange: exchangeTypeName(header.exchangeType),
      messageId: header.messageId,
      encrypted: (header.flags & 1) !== 0,
      payloads: names.map((name) => (name.detail === undefined ? { name: name.name } : { name: name.name, detail: name.detail })),
      retransmission,
    };
  }

  // --- views ---------------------------------------------------------------------------------------

  get config(): ConfigModel {
    return this.defaultSession.model;
  }

  get unsavedChanges(): boolean {
    return this.changed;
  }

  ipsecState(): IpsecState {
    const now = this.clock.now();
    return mergeIpsecStates(this.responder.ipsecState(now), this.initiator.stateRows(now), now);
  }

  tunnels(): TunnelView[] {
    const traffic = new Map(this.router.tunnelTraffic().map((entry) => [entry.tunnelId, entry]));
    return this.ipsecState().tunnels.map((tunnel) => {
      const counters = traffic.get(tunnel.tunnelId);
      return counters === undefined ? { ...tunnel } : { ...tunnel, traffic: counters };
    });
  }

  leases(): LeaseRecord[] {
    return this.responder.addressLeases();
  }

  counters() {
    return { ...this.router.counters(), esp: this.router.esp() };
  }

  /** The IKE socket's receive buffer as the kernel reports it (twice what was set, on Linux), once started. */
  udpReceiveBufferBytes(): number | undefined {
    return this.router.receiveBufferBytes();
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

  /** Sizes of the responder's tables (bounded-state checks in tests and benches). */
  tableSizes(): ReturnType<RtxIkeResponder['tableSizes']> {
    return this.responder.tableSizes();
  }

  // --- live configuration --------------------------------------------------------------------------

  /** One config line at the global level (`tunnel select` carries over to the next `apply`). */
  apply(line: string): ApplyOutcome {
    return this.applyIn(this.defaultSession, line);
  }

  /** A session of its own (a console's), with its own `tunnel select`, on the same config. */
  openConfigSession(): RouterConfigSession {
    const session = new ConfigSession(this.config, this.defaultSession.interpreter, this.options.acceptNewerValues === true);
    return {
      get context() {
        return session.context;
      },
      apply: (line: string) => this.applyIn(session, line),
    };
  }

  private applyIn(session: ConfigSession, line: string): ApplyOutcome {
    const result: LineResult = session.execute(line);
    switch (result.kind) {
      case 'applied':
        this.changed = true;
        this.reconfigure();
        this.emit({ type: 'config-changed', line: line.trim(), context: session.context });
        return { kind: 'applied' };
      case 'selected':
        return { kind: 'selected', context: result.context };
      case 'skipped-absent':
        return { kind: 'warning', message: `${result.name}: not on RTX1500 Rev.8.03 (${result.reason}); not applied` };
      case 'error':
        return result.detail === undefined ? { kind: 'error', error: result.error } : { kind: 'error', error: result.error, detail: result.detail };
    }
  }

  /** Makes a changed config take effect: next negotiations, log switches, the inside. */
  private reconfigure(): void {
    const model = this.config;
    this.responder.setPolicy(policyFromConfig(model, this.policyOptions()));
    const initiating = initiatingPolicyFromConfig(model, this.policyOptions());
    this.router.runInitiatorCommand((now) => this.initiator.setPolicy(initiating, now));
    this.logSink.setSyslogSettings(syslogSettings(model));
    this.syslog?.reconfigure(syslogSettings(model));
    this.logSink.setUtcOffsetMinutes(consoleSettings(model).timezone.offsetMinutes);
    try {
      this.router.setInside(this.insideFor(model));
    } catch {
      // A new interface address that clashes with a --lan-host: keep the inside as it was.
    }
  }

  /**
   * Writes the config file: `show config`'s order and layout with the secrets as entered (plain,
   * or the `encrypted` form the file was read with), so it re-reads to the same model. Atomic.
   */
  async save(): Promise<SaveOutcome> {
    const target = this.options.saveTo ?? (this.options.config !== undefined && 'file' in this.options.config ? this.options.config.file : undefined);
    if (target === undefined) {
      return {
        kind: 'cannot-save',
        message: 'no config file to save to: this router runs on ' + (this.options.config === undefined ? 'the embedded default config' : 'config text') + '; start it with --config FILE or --save-to FILE',
      };
    }
    const text = showConfig(this.config, { now: new Date(this.clock.now()), secrets: 'kept' });
    try {
      writeFileAtomically(target, text);
    } catch (error) {
      return { kind: 'cannot-save', message: `cannot write ${target}: ${error instanceof Error ? error.message : String(error)}` };
    }
    this.changed = false;
    return { kind: 'saved', path: target };
  }

  // --- passwords -----------------------------------------------------------------------------------

  checkLoginPassword(password: string, user?: string): PasswordCheck {
    return checkLoginPassword(this.config, this.options.passwords ?? {}, password, user);
  }

  checkAdministratorPassword(password: string): PasswordCheck {
    return checkAdministratorPassword(this.config, this.options.passwords ?? {}, password);
  }

  claimAdministrator(holder: string): AdministratorClaim {
    if (this.administrator !== undefined) return { kind: 'held', by: this.administrator.holder };
    const claim = {};
    this.administrator = { holder, claim };
    return {
      kind: 'granted',
      release: () => {
        if (this.administrator?.claim === claim) this.administrator = undefined;
      },
    };
  }

  loginRequirement(): { readonly password: boolean; readonly user: boolean } {
    return loginRequirement(this.config);
  }

  // --- operator commands ---------------------------------------------------------------------------

  deleteIpsecSa(target: number | 'all'): number {
    let removed = 0;
    this.router.runOperatorCommand((now) => {
      const result = this.responder.deleteSas(target, now);
      removed = result.removed;
      return result.effects;
    });
    return removed;
  }

  /** `ipsec refresh sa`: the responder's SAs (Deletes per `send info`) and the initiating side's (no notice); auto refresh starts again. */
  refreshSa(): number {
    let removed = this.deleteIpsecSa('all');
    this.router.runInitiatorCommand((now) => {
      const result = this.initiator.refresh(now);
      removed += result.removed;
      return result.effects;
    });
    return removed;
  }

  /**
   * The router's own `ping`: ICMP echo requests from `source` (default: its first interface
   * address) into the tunnel the route to `host` names, answered by the far side's router or
   * LAN hosts. A tunnel without an SA starts a key exchange and loses that request, as a
   * router does. `onReply` sees each reply as it comes (the console prints it then).
   * Rejects with a RangeError on a request that cannot be sent.
   */
  async ping(request: PingRequest, onReply?: (reply: PingReply) => void): Promise<PingResult> {
    const own = this.insideFor(this.config).ownAddresses;
    const problems = checkPingRequest(request, own);
    if (problems.length > 0) throw new RangeError(problems.join('; '));
    if (this.state !== 'running') throw new RangeError('the router is not running');
    const source = request.source ?? [...own][0]!;
    const count = request.count ?? PING_DEFAULTS.count;
    const dataBytes = request.dataBytes ?? PING_DEFAULTS.dataBytes;
    const identifier = this.pingIdentifier;
    this.pingIdentifier = (this.pingIdentifier + 1) & 0xffff;
    if (this.pingIdentifier === KEEPALIVE_ECHO_IDENTIFIER) this.pingIdentifier = (this.pingIdentifier + 1) & 0xffff;
    const sentAt = new Map<number, number>();
    const replies: PingReply[] = [];
    let allAnswered: (() => void) | undefined;
    const listener = (packet: Buffer): void => {
      const reply = readPingReply(packet, identifier);
      const sent = reply === undefined ? undefined : sentAt.get(reply.sequence);
      if (reply === undefined || sent === undefined || replies.some((seen) => seen.sequence === reply.sequence)) return;
      const complete = { ...reply, roundTripMs: this.clock.now() - sent };
      replies.push(complete);
      onReply?.(complete);
      if (replies.length === count) allAnswered?.();
    };
    this.router.on('echo-reply', listener);
    const pause = (ms: number) => new Promise<void>((resolve) => this.clock.setTimer(ms, resolve));
    let unroutable = 0;
    try {
      for (let sequence = 0; sequence < count; sequence++) {
        if (this.state !== 'running') break;
        sentAt.set(sequence, this.clock.now());
        if (!this.router.originate(pingRequestPacket({ source, host: request.host, identifier, sequence, dataBytes }))) unroutable++;
        // The next request after the interval; after the last, the wait for its answer.
        const last = sequence === count - 1;
        if (!last) await pause(PING_DEFAULTS.intervalMs);
        else if (replies.length < count) await Promise.race([pause((request.waitSeconds ?? PING_DEFAULTS.waitSeconds) * 1000), new Promise<void>((resolve) => (allAnswered = resolve))]);
      }
    } finally {
      this.router.off('echo-reply', listener);
    }
    return { host: request.host, source, transmitted: sentAt.size, replies: [...replies].sort((a, b) => a.sequence - b.sequence), unroutable };
  }

  clearLog(): void {
    this.logSink.clear();
  }

  log(level: LogLevel, message: string): void {
    this.logSink.log(level, message);
  }

  // --- wiring --------------------------------------------------------------------------------------

  private policyOptions(): PolicyOptions {
    return {
      ...(this.options.psk === undefined ? {} : { suppliedKeys: this.options.psk }),
      ...(this.options.answerModeCfgRequests === true ? { answerModeCfgRequests: true } : {}),
    };
  }

  private responderOptions(): RtxIkeResponderOptions {
    return {
      limits: {
        ...tableRoomFor(this.options.maxTunnels),
        ...this.options.responderLimits,
        ...(this.options.halfOpenTimeoutSeconds === undefined ? {} : { halfOpenTimeoutMs: this.options.halfOpenTimeoutSeconds * 1000 }),
      },
      ...(this.options.randomBytes === undefined ? {} : { randomBytes: this.options.randomBytes }),
      ...(this.options.impair?.some((rule) => rule.kind === 'withhold-mode-cfg-set') === true ? { withholdModeCfgSet: true } : {}),
      ...(this.options.keepalive === undefined ? {} : { keepalive: this.options.keepalive }),
      saNumbers: this.saNumbers,
    };
  }

  /**
   * `syslog host`: RFC 3164 datagrams of the log lines, only to loopback and this host's own
   * addresses unless `allowOutbound` (a config copied from a production router names its real
   * log hosts).
   */
  private syslogClient(): SyslogClient {
    return new SyslogClient({
      settings: syslogSettings(this.config),
      policy: createOutboundPolicy({ allowOutbound: this.options.allowOutbound === true }),
      ...(this.options.syslogPort === undefined ? {} : { port: this.options.syslogPort }),
      onNotice: (message) => this.report({ kind: 'syslog', message }),
    });
  }

  private insideFor(model: ConfigModel): RouterInside {
    try {
      return routerInside(model, this.options.lanHosts);
    } catch (error) {
      throw new RouterStartError(error instanceof Error ? error.message : String(error), undefined);
    }
  }
}

/** Builds a router and starts it: the library API's one-call start. */
export async function startRtxRouter(options: RtxRouterOptions = {}): Promise<RtxRouter> {
  const router = await RtxRouter.create(options);
  await router.start();
  return router;
}

function hexCookies(cookies: { initiatorCookie: Buffer; responderCookie: Buffer }): { initiator: string; responder: string } {
  return { initiator: cookies.initiatorCookie.toString('hex'), responder: cookies.responderCookie.toString('hex') };
}

function selectorText(identity: Identity | undefined): string | undefined {
  return identity === undefined ? undefined : formatIdentity(identity);
}

function ipsecSaEvent(sa: InstalledIpsecSa): IpsecSaEvent {
  const initiatorSelector = selectorText(sa.initiatorIdentity);
  const responderSelector = selectorText(sa.responderIdentity);
  return {
    tunnelId: sa.tunnelId,
    gatewayId: sa.gatewayId,
    peer: sa.peer,
    inboundSpi: sa.inbound.spi.toString('hex'),
    outboundSpi: sa.outbound.spi.toString('hex'),
    encryption: sa.encryption,
    integrity: sa.integrity,
    udpEncapsulated: sa.udpEncapsulated,
    lifeSeconds: sa.lifeSeconds,
    ...(sa.internalAddress === undefined ? {} : { internalAddress: sa.internalAddress }),
    ...(initiatorSelector === undefined ? {} : { initiatorSelector }),
    ...(responderSelector === undefined ? {} : { responderSelector }),
  };
}

/**
 * `--max-tunnels N` (rtxlab option): room in the responder's tables for every tunnel's ISAKMP SA
 * and IPsec SA pair twice over (a rekey overlaps the old ones), never less than the defaults.
 */
function tableRoomFor(maxTunnels: number | undefined): Partial<ResponderLimits> {
  if (maxTunnels === undefined) return {};
  return {
    maxIsakmpSas: Math.max(DEFAULT_RESPONDER_LIMITS.maxIsakmpSas, 2 * maxTunnels),
    maxIpsecSaPairs: Math.max(DEFAULT_RESPONDER_LIMITS.maxIpsecSaPairs, 2 * maxTunnels),
  };
}
