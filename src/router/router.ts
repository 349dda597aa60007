import { EventEmitter } from 'node:events';
import { isIP } from 'node:net';
import type { Endpoint, IkeResponder, InboundDatagram, InstalledIpsecSa, ResponderEffect } from '../ike-responder/port.js';
import type { CancelTimer, Clock } from './clock.js';
import { DataPlane, type DataPlaneAction, type DataPlaneCounters, type TunnelTraffic } from './data-plane.js';
import { DeadlineTimer } from './deadline-timer.js';
import { EspSaFile, espSaFilePath } from './esp-sa-file.js';
import { KeysFile } from './keys-file.js';
import type { RouterInside } from './lan.js';
import type { LogSink } from './log-sink.js';
import { RouterStartError } from './start-errors.js';
import { MalformedNattLog } from './malformed-natt-log.js';
import { UdpTransport, type InboundPacket, type WireDatagram } from './udp-transport.js';
import { Impairer } from './impair/impairer.js';
import type { ImpairRule } from './impair/impair-rule.js';
import type { ImpairedDelivery } from './impair/impair-decision.js';
import { openRawEspSocket, type RawEspSocket } from '../netio/raw-esp-socket.js';
import { openTunDevice, type TunDevice } from '../netio/tun-device.js';

export interface RouterOptions {
  /** IP address to listen on. */
  readonly bind: string;
  /** UDP port for IKE (RTX: 500); 0 picks a free one. */
  readonly ikePort: number;
  /** UDP port for NAT-T, RFC 3948 (RTX: 4500); 0 picks a free one. */
  readonly nattPort: number;
  /** rtxlab option `--udp-receive-buffer`: each socket's receive buffer (udp-transport.ts); default: the kernel's. */
  readonly receiveBufferBytes?: number;
  /**
   * Wireshark ikev1_decryption_table to append to (`--keys FILE`); the ESP SAs go to
   * `FILE.esp_sa` (Wireshark esp_sa records).
   */
  readonly keysFile?: string;
  /** What answers behind the router: its interface addresses and the simulated LAN hosts. */
  readonly inside?: RouterInside;
  readonly responder: IkeResponder;
  readonly logSink: LogSink;
  readonly clock: Clock;
  /** rtxlab option, `--impair`: faults injected into IKE datagrams in and out (impair/impair-rule.ts). */
  readonly impair?: readonly ImpairRule[];
  /**
   * Carry ESP as IP protocol 50 for SA pairs agreed without NAT traversal, through the raw ESP
   * helper (src/netio; needs root). Default: when this process runs as root.
   */
  readonly rawEsp?: boolean;
  /**
   * rtxlab option `--lan-tun NAME`: a TUN device (created through the native helper; root) that
   * takes the inner packets addressed to nobody the router simulates, and whose packets enter
   * the tunnels, so real hosts behind the router answer. Its address and routes are the user's.
   */
  readonly lanTun?: string;
  /** The RTX's initiating side (src/ike-initiator), on the same sockets; absent: the router only answers. */
  readonly initiator?: InitiatingSide;
}

/**
 * What the router needs of the initiating side: like the responder, datagrams and time in and
 * effects out, plus the messages it owns (by initiator cookie) and the tunnels traffic wants.
 */
export interface InitiatingSide {
  start(sockets: { ike: Endpoint; natt: Endpoint; peerIkePort: number; peerNattPort: number }, now: number): ResponderEffect[];
  owns(bytes: Buffer): boolean;
  receive(datagram: InboundDatagram, now: number): ResponderEffect[];
  tick(now: number): ResponderEffect[];
  nextDeadline(): number | undefined;
  trafficWithoutSa(tunnelId: number, now: number): ResponderEffect[];
  /** An echo reply for a keepalive of the initiating side's own SAs. */
  keepaliveIcmpEchoReply(tunnelId: number, sequence: number, now: number): ResponderEffect[];
}

export interface ListeningAddresses {
  readonly ike: Endpoint;
  readonly natt: Endpoint;
}

/** Traffic seen since start. */
export interface RouterCounters {
  /** IKE datagrams handed to the responder, from both ports. */
  readonly ikeReceived: number;
  /** IKE datagrams the socket accepted for sending. */
  readonly ikeSent: number;
  readonly sendFailures: number;
  readonly nattKeepalives: number;
  /** ESP on the NAT-T port, whatever became of it (see `esp()` for the details). */
  readonly espReceived: number;
  /** ESP datagrams the socket accepted for sending. */
  readonly espSent: number;
  /** NAT-T datagrams that are neither a keepalive, nor marked IKE, nor long enough for ESP. */
  readonly nattMalformed: number;
  /** Times the responder threw instead of returning effects. */
  readonly responderErrors: number;
}

/** Something that went wrong while running; the router carries on. */
export type RouterProblem =
  | { readonly kind: 'responder-threw'; readonly during: 'receive' | 'tick' | 'operator' | 'initiate'; readonly error: unknown }
  | { readonly kind: 'send-failed'; readonly to: Endpoint; readonly error: unknown }
  | { readonly kind: 'keys-file-failed'; readonly error: unknown }
  /** An installed SA the data plane could not take (keys no valid negotiation produces). */
  | { readonly kind: 'esp-sa-rejected'; readonly tunnelId: number; readonly error: unknown }
  | { readonly kind: 'socket-error'; readonly role: 'IKE' | 'NAT-T'; readonly error: Error }
  /** The capture file or a syslog host failed, or the outbound policy refused a destination (said once each). */
  | { readonly kind: 'capture-failed'; readonly error: Error }
  | { readonly kind: 'syslog'; readonly message: string }
  /** An event listener of a front end threw; the router carried on. */
  | { readonly kind: 'listener-threw'; readonly event: string; readonly error: unknown };

/** The responder's effects that front ends observe (after the router performed them). */
export type ObservedEffect = Extract<ResponderEffect, { kind: 'event' | 'ipsec-sa-installed' | 'ipsec-sa-removed' }>;

export interface RouterEventMap {
  problem: [problem: RouterProblem];
  /** Every datagram in and out on the IKE and NAT-T ports, as on the wire. */
  datagram: [datagram: WireDatagram];
  effect: [effect: ObservedEffect];
  /** An ISAKMP SA's Phase 1 encryption key (every one, whether or not `--keys` is given). */
  'ike-keys': [keys: Extract<ResponderEffect, { kind: 'ike-keys' }>];
  /** An ICMP echo reply to one of the router's own addresses came out of a tunnel (its `ping`). */
  'echo-reply': [packet: Buffer, tunnelId: number];
}

type MutableCounters = { -readonly [K in keyof RouterCounters]: RouterCounters[K] };

/**
 * The running router: owns the sockets, the deadline timer and the keys file; hands every IKE
 * datagram and every deadline to the I/O-free responder and performs the effects it returns, in
 * order. Nothing a peer sends, and nothing the responder throws, stops it.
 */
type RawEspState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'opening'; readonly opened: Promise<void>; readonly waiting: { readonly to: string; readonly bytes: Buffer }[] }
  | { readonly kind: 'open'; readonly socket: RawEspSocket }
  | { readonly kind: 'unavailable'; readonly reason: string };

/** Raw ESP packets that may wait for the helper to start; more are dropped (and counted). */
const RAW_ESP_WAITING_LIMIT = 64;

export class Router extends EventEmitter<RouterEventMap> {
  private transport: UdpTransport | undefined;
  private keys: KeysFile | undefined;
  private espKeys: EspSaFile | undefined;
  private lanTun: TunDevice | undefined;
  /**
   * The raw ESP socket: opened when the first SA pair without UDP encapsulation is installed (most
   * routers never need one, and it is a helper process), or why there is none (said once per SA
   * pair that needs it). While it opens, packets to send wait (bounded).
   */
  private rawEsp: RawEspState = { kind: 'idle' };
  private readonly dataPlane: DataPlane;
  private readonly deadline: DeadlineTimer;
  /** Lines about short NAT-T datagrams, bounded per peer. */
  private readonly malformedNatt = new MalformedNattLog();
  /** Only when an `--impair` rule acts on the wire. */
  private readonly impairer: Impairer | undefined;
  /** Impaired datagrams held back (`delay`), cancelled at stop. */
  private readonly heldBack = new Set<CancelTimer>();
  private readonly counts: MutableCounters = {
    ikeReceived: 0,
    ikeSent: 0,
    sendFailures: 0,
    nattKeepalives: 0,
    espReceived: 0,
    espSent: 0,
    nattMalformed: 0,
    responderErrors: 0,
  };

  constructor(private readonly options: RouterOptions) {
    super();
    this.impairer = options.impair && Impairer.actsOnTheWire(options.impair) ? new Impairer(options.impair) : undefined;
    this.dataPlane = new DataPlane(options.inside ?? { ownAddresses: new Set(), lanHosts: new Set() });
    this.deadline = new DeadlineTimer(options.clock, () => {
      this.runResponder('tick', (now) => options.responder.tick(now));
      if (options.initiator) this.runResponder('initiate', (now) => options.initiator!.tick(now));
    });
  }

  /** Where the sockets listen, once started. */
  get listening(): ListeningAddresses | undefined {
    return this.transport && { ike: this.transport.ike, natt: this.transport.natt };
  }

  /** The IKE socket's receive buffer as the kernel reports it, once started. */
  receiveBufferBytes(): number | undefined {
    return this.transport?.receiveBufferBytes();
  }

  counters(): RouterCounters {
    return { ...this.counts };
  }

  /** ESP counters that belong to no tunnel (unknown SPI, ...). */
  esp(): DataPlaneCounters {
    return this.dataPlane.counters();
  }

  /** Per-tunnel inner traffic, for `show status tunnel`. */
  tunnelTraffic(): TunnelTraffic[] {
    return this.dataPlane.tunnels();
  }

  /** Opens the keys file and both sockets; rejects with a RouterStartError saying why not. */
  async start(): Promise<ListeningAddresses> {
    if (this.transport) throw new Error('router already started');
    const { keysFile } = this.options;
    if (keysFile !== undefined) {
      try {
        this.keys = KeysFile.open(keysFile);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new RouterStartError(`cannot open keys file ${keysFile}: ${reason}`, (error as NodeJS.ErrnoException).code, { cause: error });
      }
      const espFile = espSaFilePath(keysFile);
      try {
        this.espKeys = EspSaFile.open(espFile);
      } catch (error) {
        this.closeKeys();
        const reason = error instanceof Error ? error.message : String(error);
        throw new RouterStartError(`cannot open ESP keys file ${espFile}: ${reason}`, (error as NodeJS.ErrnoException).code, { cause: error });
      }
    }
    try {
      this.transport = await UdpTransport.open(this.options, {
        packet: (packet) => this.receive(packet),
        wire: (datagram) => this.emit('datagram', datagram),
        socketError: (error, role) => this.emit('problem', { kind: 'socket-error', role, error }),
      });
    } catch (error) {
      this.closeKeys();
      throw error;
    }
    try {
      await this.openLanTun();
    } catch (error) {
      await this.stop();
      throw error;
    }
    this.deadline.arm(this.nextDeadline());
    const { ike, natt } = this.transport;
    // The RTX sends to UDP 500 and 4500; rtxlab's peers listen on the ports this router listens on
    // (500/4500 unless --ike-port/--natt-port: an rtxlab rule, so two routers can share a host).
    const initiator = this.options.initiator;
    if (initiator) this.runResponder('initiate', (now) => initiator.start({ ike, natt, peerIkePort: ike.port, peerNattPort: natt.port }, now));
    return { ike, natt };
  }

  private async openLanTun(): Promise<void> {
    const name = this.options.lanTun;
    if (name === undefined) return;
    const opened = await openTunDevice(name);
    if (!opened.ok) throw new RouterStartError(`cannot open --lan-tun ${name}: ${opened.reason}`, undefined);
    this.lanTun = opened.device;
    this.dataPlane.setLanDevice(true);
    opened.device.onPacket((packet) => this.performData(this.dataPlane.fromLan(packet, this.options.clock.now())));
  }

  /** Why raw ESP cannot be had here, before trying; undefined when the helper may be started. */
  private rawEspRefusal(): string | undefined {
    if (!(this.options.rawEsp ?? process.getuid?.() === 0)) return 'raw ESP needs root (it is opened only when rtxlab runs as root)';
    if (isIP(this.options.bind) !== 4) return `raw ESP is IPv4 only, and the router listens on ${this.options.bind}`;
    return undefined;
  }

  /** Starts the raw ESP helper once; the SA pair that asked is told why when it cannot be had. */
  private startRawEsp(tunnelId: number): void {
    const refusal = this.rawEspRefusal();
    if (refusal !== undefined) {
      this.rawEsp = { kind: 'unavailable', reason: refusal };
      return this.noteRawEspUnavailable(tunnelId);
    }
    const waiting: { to: string; bytes: Buffer }[] = [];
    const opened = openRawEspSocket(this.options.bind).then(async (result) => {
      if (this.rawEsp.kind !== 'opening') {
        // The router stopped meanwhile.
        if (result.ok) await result.socket.close();
        return;
      }
      if (!result.ok) {
        this.rawEsp = { kind: 'unavailable', reason: result.reason };
        return this.noteRawEspUnavailable(tunnelId);
      }
      this.rawEsp = { kind: 'open', socket: result.socket };
      const local = { address: this.options.bind, port: 0 };
      result.socket.onPacket((from, packet) => {
        this.emit('datagram', { direction: 'in', from: { address: from, port: 0 }, to: local, bytes: packet, kind: 'esp', protocol: 'esp' });
        this.counts.espReceived++;
        this.performData(this.dataPlane.receive(packet, { address: from, port: 0 }, this.options.clock.now()));
      });
      for (const packet of waiting) this.sendRawEsp(packet.to, packet.bytes);
    });
    this.rawEsp = { kind: 'opening', opened, waiting };
  }

  private noteRawEspUnavailable(tunnelId: number): void {
    if (this.rawEsp.kind !== 'unavailable') return;
    this.options.logSink.log(
      'notice',
      `tunnel ${tunnelId}: the SA pair uses raw ESP (IP protocol 50), which this rtxlab cannot carry (${this.rawEsp.reason}); run as root, or enable NAT traversal on the client (ESP in UDP)`,
    );
  }

  private sendRawEsp(to: string, bytes: Buffer): void {
    const state = this.rawEsp;
    if (state.kind === 'opening' && state.waiting.length < RAW_ESP_WAITING_LIMIT) {
      state.waiting.push({ to, bytes });
      return;
    }
    if (state.kind === 'open' && state.socket.send(to, bytes) === 'sent') {
      this.counts.espSent++;
      const local = { address: this.options.bind, port: 0 };
      this.emit('datagram', { direction: 'out', from: local, to: { address: to, port: 0 }, bytes, kind: 'esp', protocol: 'esp' });
    } else this.counts.sendFailures++;
  }

  /** Closes the sockets and the keys file and clears the timer. Safe to call twice. */
  async stop(): Promise<void> {
    this.deadline.cancel();
    if (this.lanTun) {
      const device = this.lanTun;
      this.lanTun = undefined;
      this.dataPlane.setLanDevice(false);
      await device.close();
    }
    const rawEsp = this.rawEsp;
    this.rawEsp = { kind: 'idle' };
    if (rawEsp.kind === 'open') await rawEsp.socket.close();
    if (rawEsp.kind === 'opening') await rawEsp.opened;
    for (const cancel of this.heldBack) cancel();
    this.heldBack.clear();
    this.options.logSink.flushRepeats();
    const transport = this.transport;
    this.transport = undefined;
    this.closeKeys();
    await transport?.close();
  }

  private receive(packet: InboundPacket): void {
    switch (packet.kind) {
      case 'ike':
        this.counts.ikeReceived++;
        if (this.options.initiator?.owns(packet.datagram.bytes)) {
          const initiator = this.options.initiator;
          return this.runResponder('initiate', (now) => initiator.receive(packet.datagram, now));
        }
        if (this.impairer) return this.receiveImpaired(packet.datagram);
        return this.runResponder('receive', (now) => this.options.responder.receive(packet.datagram, now));
      case 'natt-keepalive':
        this.counts.nattKeepalives++;
        return;
      case 'esp':
        this.counts.espReceived++;
        return this.performData(this.dataPlane.receive(packet.bytes, packet.from, this.options.clock.now()));
      case 'natt-malformed':
        this.counts.nattMalformed++;
        for (const line of this.malformedNatt.lines(packet.bytes, packet.from, this.options.clock.now())) this.options.logSink.log(line.level, line.message);
        return;
    }
  }

  /** A changed config's interface addresses and routes. */
  setInside(inside: RouterInside): void {
    this.dataPlane.setInside(inside);
  }

  /**
   * Runs an operator command on the responder (`ipsec sa delete`, ...) and performs its effects
   * as if they came from a datagram.
   */
  runOperatorCommand(call: (now: number) => ResponderEffect[]): void {
    this.runResponder('operator', call);
  }

  /** `--impair`: the datagram as the rules have it: dropped, changed, held back, or delivered twice. */
  private receiveImpaired(datagram: Extract<InboundPacket, { kind: 'ike' }>['datagram']): void {
    const { deliveries, answerTwice } = this.impairer!.inbound(datagram.bytes);
    for (const delivery of deliveries) {
      this.afterImpairDelay(delivery, (bytes) => this.runResponder('receive', (now) => this.options.responder.receive({ ...datagram, bytes }, now), answerTwice));
    }
  }

  private afterImpairDelay(delivery: ImpairedDelivery, action: (bytes: Buffer) => void): void {
    if (delivery.delayMs === 0) return action(delivery.bytes);
    const cancel = this.options.clock.setTimer(delivery.delayMs, () => {
      this.heldBack.delete(cancel);
      action(delivery.bytes);
    });
    this.heldBack.add(cancel);
  }

  /** The earliest deadline of the responder and the initiating side. */
  private nextDeadline(): number | undefined {
    const deadlines = [this.options.responder.nextDeadline(), this.options.initiator?.nextDeadline()].filter((at): at is number => at !== undefined);
    return deadlines.length === 0 ? undefined : Math.min(...deadlines);
  }

  /**
   * The router's own IPv4 packet (its `ping`) into the tunnel its route names; false when no
   * `ip route ... gateway tunnel N` covers the destination. With no SA yet the initiating side
   * is asked for one and the packet is lost, as on a router.
   */
  originate(packet: Buffer): boolean {
    const actions = this.dataPlane.originate(packet, this.options.clock.now());
    if (actions === undefined) return false;
    this.performData(actions);
    return true;
  }

  /** `ipsec refresh sa` and other operator commands of the initiating side. */
  runInitiatorCommand(call: (now: number) => ResponderEffect[]): void {
    this.runResponder('initiate', call);
  }

  private runResponder(during: 'receive' | 'tick' | 'operator' | 'initiate', call: (now: number) => ResponderEffect[], sendTwice = false): void {
    const { responder, clock } = this.options;
    try {
      this.perform(call(clock.now()), sendTwice);
    } catch (error) {
      this.counts.responderErrors++;
      this.emit('problem', { kind: 'responder-threw', during, error });
    }
    try {
      this.deadline.arm(this.nextDeadline());
    } catch (error) {
      this.counts.responderErrors++;
      this.emit('problem', { kind: 'responder-threw', during, error });
    }
  }

  /** `sendTwice`: `--impair answer-twice`, every send goes out twice. */
  private perform(effects: readonly ResponderEffect[], sendTwice = false): void {
    for (const effect of effects) {
      switch (effect.kind) {
        case 'send':
          this.send(effect.bytes, effect.to, effect.natTraversal);
          if (sendTwice) this.send(effect.bytes, effect.to, effect.natTraversal);
          break;
        case 'log':
          this.options.logSink.log(effect.level, effect.message);
          break;
        case 'ike-keys':
          this.appendKeys(effect.initiatorCookie, effect.encryptionKey);
          this.emit('ike-keys', effect);
          break;
        case 'ipsec-sa-installed':
          this.installSa(effect.sa);
          this.emit('effect', effect);
          break;
        case 'ipsec-sa-removed':
          this.dataPlane.remove(effect.tunnelId, effect.inboundSpi, effect.outboundSpi);
          this.emit('effect', effect);
          break;
        case 'event':
          this.emit('effect', effect);
          break;
        case 'keepalive-icmp-echo':
          this.performData(this.dataPlane.sendKeepaliveEcho(effect.tunnelId, effect.target, effect.sequence, effect.dataLength, this.options.clock.now()));
          break;
      }
    }
  }

  private installSa(sa: InstalledIpsecSa): void {
    try {
      this.dataPlane.install(sa, this.options.clock.now());
    } catch (error) {
      this.emit('problem', { kind: 'esp-sa-rejected', tunnelId: sa.tunnelId, error });
      return;
    }
    if (!sa.udpEncapsulated) {
      if (this.rawEsp.kind === 'idle') this.startRawEsp(sa.tunnelId);
      else this.noteRawEspUnavailable(sa.tunnelId);
    }
    if (!this.espKeys) return;
    try {
      this.espKeys.append(sa);
    } catch (error) {
      this.emit('problem', { kind: 'keys-file-failed', error });
    }
  }

  private performData(actions: readonly DataPlaneAction[]): void {
    for (const action of actions) {
      if (action.kind === 'log') {
        this.options.logSink.log(action.level, action.message);
        continue;
      }
      if (action.kind === 'to-lan') {
        this.lanTun?.write(action.packet);
        continue;
      }
      if (action.kind === 'tunnel-wants-sa') {
        const initiator = this.options.initiator;
        if (initiator) this.runResponder('initiate', (now) => initiator.trafficWithoutSa(action.tunnelId, now));
        continue;
      }
      if (action.kind === 'echo-reply') {
        this.emit('echo-reply', action.packet, action.tunnelId);
        continue;
      }
      if (action.kind === 'esp-accepted') {
        const spi = Buffer.alloc(4);
        spi.writeUInt32BE(action.spi);
        this.options.responder.espReceived?.(spi, this.options.clock.now());
        continue;
      }
      if (action.kind === 'keepalive-echo-reply') {
        this.perform(this.options.responder.keepaliveIcmpEchoReply?.(action.tunnelId, action.sequence, this.options.clock.now()) ?? []);
        const initiator = this.options.initiator;
        if (initiator) this.runResponder('initiate', (now) => initiator.keepaliveIcmpEchoReply(action.tunnelId, action.sequence, now));
        continue;
      }
      if (action.encapsulation === 'raw') {
        this.sendRawEsp(action.to.address, action.bytes);
        continue;
      }
      const transport = this.transport;
      if (!transport) return;
      transport.sendEsp(action.bytes, action.to).then(
        () => {
          this.counts.espSent++;
        },
        (error: unknown) => {
          this.counts.sendFailures++;
          this.emit('problem', { kind: 'send-failed', to: action.to, error });
        },
      );
    }
  }

  private send(bytes: Buffer, to: Endpoint, natTraversal: boolean): void {
    if (!this.impairer) return this.sendNow(bytes, to, natTraversal);
    for (const delivery of this.impairer.outbound(bytes)) this.afterImpairDelay(delivery, (impaired) => this.sendNow(impaired, to, natTraversal));
  }

  private sendNow(bytes: Buffer, to: Endpoint, natTraversal: boolean): void {
    const transport = this.transport;
    if (!transport) return; // stopped while the responder was working
    transport.send(bytes, to, natTraversal).then(
      () => {
        this.counts.ikeSent++;
      },
      (error: unknown) => {
        this.counts.sendFailures++;
        this.emit('problem', { kind: 'send-failed', to, error });
      },
    );
  }

  private appendKeys(initiatorCookie: Buffer, encryptionKey: Buffer): void {
    if (!this.keys) return;
    try {
      this.keys.append(initiatorCookie, encryptionKey);
    } catch (error) {
      this.emit('problem', { kind: 'keys-file-failed', error });
    }
  }

  private closeKeys(): void {
    const files = [this.keys, this.espKeys];
    this.keys = undefined;
    this.espKeys = undefined;
    for (const file of files) {
      try {
        file?.close();
      } catch (error) {
        this.emit('problem', { kind: 'keys-file-failed', error });
      }
    }
  }
}
