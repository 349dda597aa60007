/**
 * One remote-access client made of the bundled initiator's pure builders, driven one exchange
 * state at a time against an in-process RtxIkeResponder: Aggressive Mode, XAUTH, the mode-cfg
 * push, Quick Mode, Informational. At each state it offers the genuine messages a fuzzer may
 * mutate (opened with the client's own keys and IV chains, so mutants carry the live cookies,
 * M-IDs and a valid IV), and the genuine next step, which checks that the responder answered as
 * it should. Every datagram the client sent is kept for replays.
 */
import { ExchangeType, ProtocolId } from '../../../src/ike/constants.js';
import { ZERO_PADDING } from '../../../src/ike/crypto/index.js';
import type { Endpoint, ResponderEffect } from '../../../src/ike-responder/port.js';
import type { RtxIkeResponder } from '../../../src/ike-responder/responder.js';
import {
  STRONGSWAN_PUSH_MODE_CFG,
  STRONGSWAN_XAUTH,
  EMPTY_MODE_CFG_CONFIG,
  answerModeCfgSet,
  answerTransaction,
  answerXauthRequest,
  answerXauthStatus,
  buildAggressive3,
  buildInformational,
  buildQuickMode1,
  buildQuickMode3,
  modeCfgRequest,
  openTransaction,
  processAggressive2,
  processQuickMode2,
  resolveQuickModeRequest,
  sealTransaction,
  STRONGSWAN_PULL_MODE_CFG,
  type Aggressive2State,
  type EspSaPair,
  type InitiatorOptions,
  type IsakmpSa,
  type ModeCfgConfig,
  type QuickMode1State,
  type QuickModeOptions,
} from '../../../src/initiator/index.js';
import { protectionOf } from '../../../src/ike/initiator/isakmp-sa.js';
import { ROUTER, clientMessage1, inbound, seededRandomBytes } from '../../ike-responder/support.js';
import { openTemplate, type MessageTemplate } from './wire-mutations.js';

/** The exchange states the fuzzer injects at, in the order a session passes them. */
export const EXCHANGE_STATES = [
  'awaiting Aggressive Mode message 3',
  'awaiting XAUTH REPLY',
  'awaiting XAUTH ACK',
  'awaiting mode-cfg ACK',
  'ready for Quick Mode',
  'awaiting Quick Mode message 3',
  'established with IPsec SAs',
  'Informational (DPD, Delete)',
] as const;
export type ExchangeState = (typeof EXCHANGE_STATES)[number];

/** The shared fake clock: every datagram and tick of a run reads it. */
export interface Clock {
  now: number;
}

export class SessionStepFailed extends Error {}

export const QUICK_MODE_OPTIONS: QuickModeOptions = {
  proposals: [{ encryption: '3des-cbc', integrity: 'hmac-sha1-96' }],
  localId: { kind: 'mode-cfg-address' },
  remoteId: { kind: 'ipv4-subnet', address: '10.1.1.0', netmask: '255.255.255.0' },
  lifeSeconds: 28_800,
};

export class VictimSession {
  /** Every datagram this client sent, oldest first. */
  readonly sent: Buffer[] = [];
  /** M-IDs of the exchanges seen so far (XAUTH, mode-cfg, Quick Mode, Informational). */
  readonly messageIds: number[] = [];
  /** The SPIs this client offered (its inbound SPIs): what its Deletes name. */
  readonly offeredSpis: Buffer[] = [];
  state: ExchangeState = 'awaiting Aggressive Mode message 3';
  /** What the responder sent last in the exchange we answer next. */
  private pending: Buffer | undefined;
  private aggressive2: Aggressive2State | undefined;
  private sa: IsakmpSa | undefined;
  private modeCfg: ModeCfgConfig = EMPTY_MODE_CFG_CONFIG;
  private quickMode1: { state: QuickMode1State; message2: Buffer } | undefined;
  espSas: EspSaPair | undefined;
  private readonly random: (length: number) => Buffer;
  private nextMessageId: number;

  constructor(
    private readonly responder: RtxIkeResponder,
    private readonly clock: Clock,
    readonly from: Endpoint,
    seed: string,
    private readonly client: Partial<InitiatorOptions> = {},
  ) {
    this.random = seededRandomBytes(seed);
    this.nextMessageId = (this.random(4).readUInt32BE(0) | 0x1000) >>> 0;
  }

  get cookies(): { initiatorCookie: Buffer; responderCookie: Buffer } | undefined {
    return this.aggressive2 ? { initiatorCookie: this.aggressive2.aggressive1.initiatorCookie, responderCookie: this.aggressive2.responderCookie } : undefined;
  }

  /** The established ISAKMP SA as this client holds it, once message 3 went. */
  get isakmpSa(): IsakmpSa | undefined {
    return this.sa;
  }

  send(bytes: Buffer): ResponderEffect[] {
    this.clock.now += 5;
    this.sent.push(bytes);
    return this.responder.receive(inbound(bytes, this.from), this.clock.now);
  }

  /** Message 1 and message 2: the session half-open, awaiting message 3. */
  begin(): ResponderEffect[] {
    const { bytes, state } = clientMessage1(this.client, `victim-${this.random(4).toString('hex')}`);
    const effects = this.send(bytes);
    const processed = processAggressive2(state, this.onlySendTo(effects, 'message 2'), { local: this.from, remote: ROUTER });
    if (!processed.ok) throw new SessionStepFailed(`message 2: ${processed.failure.text}`);
    this.aggressive2 = processed.state;
    return effects;
  }

  /** The genuine messages of the current state a fuzzer may mutate. */
  templates(): MessageTemplate[] {
    switch (this.state) {
      case 'awaiting Aggressive Mode message 3': {
        const state = this.requireAggressive2();
        const message3 = buildAggressive3(state, { encrypt: true });
        const keys = { ...state.keying.saCipher, hash: state.negotiated.proposal.hash, skeyidA: state.keying.keys.skeyidA };
        return [openTemplate('Aggressive Mode message 1 again', this.sent[0]!), openTemplate('Aggressive Mode message 3', message3.bytes, { keys, chains: state.keying.ivChains }, undefined)];
      }
      case 'awaiting XAUTH REPLY':
        return [this.answerTemplate('XAUTH REPLY'), this.newExchangeTemplate('Quick Mode message 1 before XAUTH'), this.newExchangeTemplate('mode-cfg REQUEST')];
      case 'awaiting XAUTH ACK':
        return [this.answerTemplate('XAUTH ACK')];
      case 'awaiting mode-cfg ACK':
        return [this.answerTemplate('mode-cfg ACK'), this.newExchangeTemplate('DPD R-U-THERE')];
      case 'ready for Quick Mode':
        return [this.newExchangeTemplate('Quick Mode message 1'), this.newExchangeTemplate('DPD R-U-THERE')];
      case 'awaiting Quick Mode message 3': {
        const pending = this.requireQuickMode1();
        const processed = processQuickMode2(pending.state, pending.message2);
        if (!processed.ok) throw new SessionStepFailed(processed.failure.text);
        const message3 = buildQuickMode3(processed.state);
        const sa = processed.state.sa;
        return [
          openTemplate('Quick Mode message 3', message3.bytes, { keys: protectionOf(sa), chains: sa.ivChains }, undefined),
          openTemplate('Quick Mode message 1 again', pending.state.message1, { keys: protectionOf(pending.state.sa), chains: this.requireSa().ivChains }),
        ];
      }
      case 'established with IPsec SAs':
        return [this.newExchangeTemplate('Quick Mode message 1'), this.newExchangeTemplate('mode-cfg REQUEST'), this.newExchangeTemplate('DPD R-U-THERE')];
      case 'Informational (DPD, Delete)':
        return [this.newExchangeTemplate('DPD R-U-THERE'), this.newExchangeTemplate('Delete ESP'), this.newExchangeTemplate('Delete ISAKMP')];
    }
  }

  /**
   * The genuine next step from the current state; throws SessionStepFailed when the responder
   * does not answer as it should. Returns the responder's effects.
   */
  step(): ResponderEffect[] {
    switch (this.state) {
      case 'awaiting Aggressive Mode message 3': {
        const message3 = buildAggressive3(this.requireAggressive2(), { encrypt: true });
        this.sa = message3.state;
        const effects = this.send(message3.bytes);
        this.pending = this.onlySendTo(effects, 'the XAUTH REQUEST');
        this.state = 'awaiting XAUTH REPLY';
        return effects;
      }
      case 'awaiting XAUTH REPLY': {
        const request = this.openPending('XAUTH REQUEST');
        const answer = answerXauthRequest(request.attributes, { userName: 'user1', password: 'password' }, STRONGSWAN_XAUTH);
        if (!answer.ok) throw new SessionStepFailed(answer.text);
        const effects = this.answer(request, answer.reply);
        this.pending = this.onlySendTo(effects, 'the XAUTH STATUS');
        this.state = 'awaiting XAUTH ACK';
        return effects;
      }
      case 'awaiting XAUTH ACK': {
        const set = this.openPending('XAUTH STATUS');
        const answer = answerXauthStatus(set.attributes, STRONGSWAN_XAUTH);
        if (!answer.ok || answer.status !== 'ok') throw new SessionStepFailed(`XAUTH status ${answer.ok ? answer.status : answer.text}`);
        const effects = this.answer(set, answer.ack);
        this.pending = this.onlySendTo(effects, 'the mode-cfg SET');
        this.state = 'awaiting mode-cfg ACK';
        return effects;
      }
      case 'awaiting mode-cfg ACK': {
        const set = this.openPending('mode-cfg SET');
        const answer = answerModeCfgSet(set.attributes, this.modeCfg, STRONGSWAN_PUSH_MODE_CFG);
        if (answer.kind !== 'ack') throw new SessionStepFailed(`mode-cfg SET answered with ${answer.kind}`);
        this.modeCfg = answer.config;
        const effects = this.answer(set, answer.ack);
        this.state = 'ready for Quick Mode';
        return effects;
      }
      case 'ready for Quick Mode': {
        const built = this.quickMode1Message(this.takeMessageId());
        const effects = this.send(built.bytes);
        this.quickMode1 = { state: built.state, message2: this.onlySendTo(effects, 'Quick Mode message 2') };
        this.state = 'awaiting Quick Mode message 3';
        return effects;
      }
      case 'awaiting Quick Mode message 3': {
        const pending = this.requireQuickMode1();
        const processed = processQuickMode2(pending.state, pending.message2);
        if (!processed.ok) throw new SessionStepFailed(`Quick Mode message 2: ${processed.failure.text}`);
        const message3 = buildQuickMode3(processed.state);
        this.sa = message3.sa;
        this.espSas = message3.espSas;
        const effects = this.send(message3.bytes);
        if (!effects.some((effect) => effect.kind === 'ipsec-sa-installed' && effect.sa.outbound.spi.equals(message3.espSas.inbound.spi))) {
          throw new SessionStepFailed('HASH(3) installed no IPsec SA pair with our SPI');
        }
        this.state = 'established with IPsec SAs';
        return effects;
      }
      case 'established with IPsec SAs': {
        // DPD still answered: the SA is alive.
        const sequence = this.random(2).readUInt16BE(0);
        const effects = this.informational([{ kind: 'r-u-there', sequence }]);
        if (!this.sendsTo(effects).some((bytes) => bytes.readUInt8(18) === ExchangeType.INFORMATIONAL)) throw new SessionStepFailed('no R-U-THERE-ACK');
        this.state = 'Informational (DPD, Delete)';
        return effects;
      }
      case 'Informational (DPD, Delete)':
        return this.close();
    }
  }

  /** The client goes away the way the bundled client does: Delete of its ESP SAs, then of the ISAKMP SA. */
  close(): ResponderEffect[] {
    if (!this.sa) return [];
    const effects: ResponderEffect[] = [];
    if (this.offeredSpis.length > 0) effects.push(...this.informational([{ kind: 'delete', protocolId: ProtocolId.IPSEC_ESP, spis: this.offeredSpis }]));
    effects.push(...this.informational([{ kind: 'delete-isakmp-sa' }]));
    return effects;
  }

  informational(items: Parameters<typeof buildInformational>[1]): ResponderEffect[] {
    return this.send(this.sealInformational(items));
  }

  /** A protected Informational of this client's ISAKMP SA (new M-ID), not sent. */
  sealInformational(items: Parameters<typeof buildInformational>[1]): Buffer {
    const sealed = buildInformational(this.requireSa(), items, this.takeMessageId());
    this.sa = sealed.sa;
    return sealed.bytes;
  }

  /** Sends of the responder to this client (by address and port). */
  sendsTo(effects: readonly ResponderEffect[]): Buffer[] {
    return effects.flatMap((effect) => (effect.kind === 'send' && effect.to.address === this.from.address && effect.to.port === this.from.port ? [effect.bytes] : []));
  }

  private onlySendTo(effects: readonly ResponderEffect[], what: string): Buffer {
    const sends = this.sendsTo(effects);
    if (sends.length !== 1) throw new SessionStepFailed(`expected ${what}, got ${sends.length} datagrams: ${effects.flatMap((e) => (e.kind === 'log' ? [e.message] : [])).join(' | ')}`);
    return sends[0]!;
  }

  private openPending(what: string) {
    const opened = openTransaction(this.requireSa(), this.pending ?? Buffer.alloc(0));
    if (!opened.ok) throw new SessionStepFailed(`${what}: ${opened.failure.text}`);
    if (!this.messageIds.includes(opened.value.messageId)) this.messageIds.push(opened.value.messageId);
    return opened.value;
  }

  private answer(received: ReturnType<VictimSession['openPending']>, payload: Parameters<typeof answerTransaction>[1]): ResponderEffect[] {
    const sealed = answerTransaction(received, payload, ZERO_PADDING);
    this.sa = sealed.sa;
    return this.send(sealed.bytes);
  }

  /** A template answering the pending Transaction message, on its M-ID and chain. */
  private answerTemplate(label: 'XAUTH REPLY' | 'XAUTH ACK' | 'mode-cfg ACK'): MessageTemplate {
    const opened = openTransaction(this.requireSa(), this.pending ?? Buffer.alloc(0));
    if (!opened.ok) throw new SessionStepFailed(`${label}: ${opened.failure.text}`);
    const { attributes, sa, messageId } = opened.value;
    const sealed = sealTransaction(sa, messageId, this.answerPayload(label, attributes), ZERO_PADDING);
    return openTemplate(label, sealed.bytes, { keys: protectionOf(sa), chains: sa.ivChains });
  }

  private answerPayload(label: 'XAUTH REPLY' | 'XAUTH ACK' | 'mode-cfg ACK', attributes: Parameters<typeof answerXauthRequest>[0]) {
    switch (label) {
      case 'XAUTH REPLY': {
        const answer = answerXauthRequest(attributes, { userName: 'user1', password: 'password' }, STRONGSWAN_XAUTH);
        if (!answer.ok) throw new SessionStepFailed(answer.text);
        return answer.reply;
      }
      case 'XAUTH ACK': {
        const answer = answerXauthStatus(attributes, STRONGSWAN_XAUTH);
        if (!answer.ok) throw new SessionStepFailed(answer.text);
        return answer.ack;
      }
      case 'mode-cfg ACK': {
        const answer = answerModeCfgSet(attributes, this.modeCfg, STRONGSWAN_PUSH_MODE_CFG);
        if (answer.kind !== 'ack') throw new SessionStepFailed(`${label}: ${answer.kind}`);
        return answer.ack;
      }
    }
  }

  /** A template opening a new exchange (fresh M-ID, IV from the Phase 1 block). */
  private newExchangeTemplate(label: string): MessageTemplate {
    const sa = this.requireSa();
    const messageId = this.takeMessageId();
    const protection = { keys: protectionOf(sa), chains: sa.ivChains };
    switch (label) {
      case 'Quick Mode message 1':
      case 'Quick Mode message 1 before XAUTH':
        return openTemplate(label, this.quickMode1Message(messageId).bytes, protection);
      case 'mode-cfg REQUEST':
        return openTemplate(label, sealTransaction(sa, messageId, modeCfgRequest(STRONGSWAN_PULL_MODE_CFG.pull!), ZERO_PADDING).bytes, protection);
      case 'Delete ESP':
        return openTemplate(label, buildInformational(sa, [{ kind: 'delete', protocolId: ProtocolId.IPSEC_ESP, spis: this.offeredSpis.length > 0 ? this.offeredSpis : [this.random(4)] }], messageId).bytes, protection);
      case 'Delete ISAKMP':
        return openTemplate(label, buildInformational(sa, [{ kind: 'delete-isakmp-sa' }], messageId).bytes, protection);
      default:
        return openTemplate(label, buildInformational(sa, [{ kind: 'r-u-there', sequence: messageId & 0xffff }], messageId).bytes, protection);
    }
  }

  private quickMode1Message(messageId: number) {
    const sa = this.requireSa();
    const resolved = resolveQuickModeRequest(QUICK_MODE_OPTIONS, sa, this.modeCfg.address ?? '10.1.1.254');
    if (!resolved.ok) throw new SessionStepFailed(resolved.text);
    const spi = Buffer.concat([Buffer.of(0xc0), this.random(3)]);
    this.offeredSpis.push(spi);
    return buildQuickMode1(sa, resolved.request, { messageId, spi, nonce: this.random(resolved.request.nonceLength) });
  }

  private takeMessageId(): number {
    this.nextMessageId = (this.nextMessageId + 0x01010101) >>> 0 || 1;
    this.messageIds.push(this.nextMessageId);
    return this.nextMessageId;
  }

  private requireAggressive2(): Aggressive2State {
    if (!this.aggressive2) throw new SessionStepFailed('no message 2 yet');
    return this.aggressive2;
  }

  private requireSa(): IsakmpSa {
    if (!this.sa) throw new SessionStepFailed('no ISAKMP SA yet');
    return this.sa;
  }

  private requireQuickMode1() {
    if (!this.quickMode1) throw new SessionStepFailed('no Quick Mode message 1 yet');
    return this.quickMode1;
  }
}
