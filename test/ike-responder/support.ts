/**
 * Shared pieces of the responder tests: the seed write-up's gateway as a policy, the lab's
 * addresses, deterministic randomness, and the bundled initiator's pure functions to talk to the
 * responder (no second initiator here; malformed cases are built with the codec).
 */
import { createHash } from 'node:crypto';
import {
  EMPTY_MODE_CFG_CONFIG,
  STRONGSWAN_PUSH_MODE_CFG,
  STRONGSWAN_XAUTH,
  answerModeCfgSet,
  answerTransaction,
  answerXauthRequest,
  answerXauthStatus,
  buildAggressive1,
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
  SEED_PROPOSAL,
  type Aggressive1State,
  type Aggressive2State,
  type Aggressive3Options,
  type EspSaPair,
  type InitiatorOptions,
  type IsakmpSa,
  type ModeCfgBehaviour,
  type ModeCfgConfig,
  type ModeCfgPull,
  type QuickMode1State,
  type QuickModeOptions,
  type ReceivedTransaction,
  type XauthBehaviour,
  type XauthCredentials,
} from '../../src/initiator/index.js';
import { ZERO_PADDING, type IvChains } from '../../src/ike/crypto/index.js';
import type { EstablishedKeys } from '../../src/ike-responder/protected-exchange.js';
import { readConfig } from '../../src/config/read-config.js';
import { authView } from '../../src/config/views/auth.js';
import type { Endpoint, InboundDatagram, ResponderEffect, ResponderEvent } from '../../src/ike-responder/port.js';
import { NO_IKE_LOG, gatewayPolicy, type AddressPoolPolicy, type GatewayPolicy, type ResponderPolicy, type XauthDirectory } from '../../src/ike-responder/policy.js';
import { RtxIkeResponder, type RtxIkeResponderOptions } from '../../src/ike-responder/responder.js';
import { dhGroup } from '../../src/ike/crypto/index.js';
import { decodeMessage, type DecodedMessage } from '../../src/ike/codec/index.js';
import { assessAggressive1, respondToAggressive1 } from '../../src/ike-responder/aggressive1.js';

export const CLIENT: Endpoint = { address: '192.0.2.132', port: 500 };
export const CLIENT_NATT: Endpoint = { address: '192.0.2.132', port: 4500 };
export const ROUTER: Endpoint = { address: '192.0.2.254', port: 500 };
export const ROUTER_NATT: Endpoint = { address: '192.0.2.254', port: 4500 };
/** The seed config's `ipsec ike local address 1 172.16.0.254`. */
export const SEED_LOCAL_ADDRESS = '172.16.0.254';
export const SEED_PSK = 'PSKEY1';
export const SEED_ID = 'myid';
export const T0 = Date.UTC(2008, 9, 1, 3, 28, 6);

/** The seed's tunnel 1 (`remote address 1 any`, `remote name 1 myid`, 3des/sha/modp1024), enabled, with its PSK known. */
export function seedGateway(overrides: Partial<Omit<GatewayPolicy, 'gatewayId'>> = {}): GatewayPolicy {
  return gatewayPolicy(1, {
    enabled: true,
    remoteAddress: { kind: 'any' },
    remoteName: SEED_ID,
    localAddress: SEED_LOCAL_ADDRESS,
    preSharedKey: { kind: 'text', text: SEED_PSK },
    xauth: { request: true, userGroupId: 11 },
    modeCfgPoolId: 1,
    ...overrides,
  });
}

export function policyOf(gateways: GatewayPolicy[], syslogDebug = false): ResponderPolicy {
  return { gateways, syslogDebug };
}

/** A deterministic byte source: SHA-256 in counter mode over a seed. */
export function seededRandomBytes(seed = 'rtxlab'): (length: number) => Buffer {
  let counter = 0;
  return (length) => {
    const chunks: Buffer[] = [];
    let produced = 0;
    while (produced < length) {
      const block = createHash('sha256').update(`${seed}:${counter++}`).digest();
      chunks.push(block);
      produced += block.length;
    }
    return Buffer.concat(chunks).subarray(0, length);
  };
}

export function newResponder(gateways: GatewayPolicy[] = [seedGateway()], options: RtxIkeResponderOptions & { syslogDebug?: boolean } = {}): RtxIkeResponder {
  return new RtxIkeResponder(policyOf(gateways, options.syslogDebug ?? false), { randomBytes: seededRandomBytes('responder'), ...options });
}

export function inbound(bytes: Buffer, from: Endpoint = CLIENT, options: { natTraversal?: boolean; local?: Endpoint } = {}): InboundDatagram {
  const natTraversal = options.natTraversal ?? false;
  return { bytes, from, local: options.local ?? (natTraversal ? ROUTER_NATT : ROUTER), natTraversal };
}

/** The seed client: ID `myid` (FQDN), PSKEY1, the seed suite with XAUTHInitPreShared. */
export function clientOptions(overrides: Partial<InitiatorOptions> = {}): InitiatorOptions {
  return {
    identity: { kind: 'fqdn', name: SEED_ID },
    preSharedKey: Buffer.from(SEED_PSK),
    proposals: [SEED_PROPOSAL],
    vendorIds: [],
    natTraversal: 'off',
    message3: { encrypt: false },
    ...overrides,
  };
}

let clients = 0;

/** Message 1 of a fresh client (a new cookie per call). */
export function clientMessage1(overrides: Partial<InitiatorOptions> = {}, seed = `client-${++clients}`): { bytes: Buffer; state: Aggressive1State } {
  const options = clientOptions(overrides);
  const random = seededRandomBytes(seed);
  const group = options.proposals[0]!.group;
  const built = buildAggressive1(options, {
    initiatorCookie: Buffer.concat([Buffer.of(0x01), random(7)]),
    nonce: random(options.nonceLength ?? 32),
    dhPrivateKey: random(dhGroup(group).privateExponentLength),
  });
  return { bytes: built.bytes, state: built.state };
}

export function sends(effects: readonly ResponderEffect[]): Extract<ResponderEffect, { kind: 'send' }>[] {
  return effects.filter((effect): effect is Extract<ResponderEffect, { kind: 'send' }> => effect.kind === 'send');
}

export function logLines(effects: readonly ResponderEffect[], level?: 'info' | 'notice' | 'debug'): string[] {
  return effects.flatMap((effect) => (effect.kind === 'log' && (level === undefined || effect.level === level) ? [effect.message] : []));
}

export function onlySend(effects: readonly ResponderEffect[]): Extract<ResponderEffect, { kind: 'send' }> {
  const all = sends(effects);
  if (all.length !== 1) throw new Error(`expected one send, got ${all.length}: ${logLines(effects).join(' | ')}`);
  return all[0]!;
}

/**
 * Runs messages 1 and 2 against `responder`: returns the client's state after a verified (or,
 * with `allowHashRMismatch`, unverified) message 2.
 */
export function exchange12(
  responder: RtxIkeResponder,
  options: { client?: Partial<InitiatorOptions>; now?: number; allowHashRMismatch?: boolean; from?: Endpoint } = {},
): { aggressive2: Aggressive2State; message1: Buffer; effects: ResponderEffect[] } {
  const { bytes, state } = clientMessage1(options.client);
  const from = options.from ?? CLIENT;
  const effects = responder.receive(inbound(bytes, from), options.now ?? T0);
  const message2 = onlySend(effects);
  const processed = processAggressive2(state, message2.bytes, { local: from, remote: ROUTER });
  if (processed.ok) return { aggressive2: processed.state, message1: bytes, effects };
  if (options.allowHashRMismatch && processed.failure.kind === 'hash-r-mismatch') {
    return { aggressive2: processed.failure.unverified, message1: bytes, effects };
  }
  throw new Error(`message 2 refused by the initiator: ${processed.failure.text}`);
}

/** Messages 1, 2 and 3: the SA established on both sides (message 3 in clear unless told otherwise). */
export function establish(
  responder: RtxIkeResponder,
  options: { client?: Partial<InitiatorOptions>; message3?: Aggressive3Options; now?: number; from?: Endpoint } = {},
) {
  const { aggressive2 } = exchange12(responder, options);
  const message3 = buildAggressive3(aggressive2, options.message3 ?? { encrypt: false });
  const effects = responder.receive(inbound(message3.bytes, options.from ?? CLIENT), (options.now ?? T0) + 100);
  return { aggressive2, sa: message3.state, message3: message3.bytes, effects };
}

/**
 * Both sides of one Phase 1 without the responder class: the responder's negotiation (from
 * respondToAggressive1) and the bundled initiator's SA after message 3.
 */
export function phase1Pair(message3: Aggressive3Options = { encrypt: false }, clientOverrides: Partial<InitiatorOptions> = {}) {
  const client = clientMessage1(clientOverrides);
  const first = decodeMessage(client.bytes);
  if (!first.ok || first.value.kind !== 'cleartext') throw new Error('message 1 did not decode');
  const assessment = assessAggressive1([seedGateway()], first.value.payloads, CLIENT.address);
  if (assessment.kind !== 'acceptable') throw new Error(assessment.kind);
  const negotiation = respondToAggressive1(
    assessment,
    { initiatorCookie: client.state.initiatorCookie, responderCookie: Buffer.alloc(8, 0x42), from: CLIENT, local: ROUTER },
    seededRandomBytes('phase1-pair'),
  );
  const processed = processAggressive2(client.state, negotiation.message2, { local: CLIENT, remote: ROUTER });
  if (!processed.ok) throw new Error(processed.failure.text);
  const built = buildAggressive3(processed.state, message3);
  const keys = { cipher: negotiation.chosen.cipher, encryptionKey: negotiation.keys.encryptionKey, hash: negotiation.chosen.hash, skeyidA: negotiation.keys.skeyidA };
  const cookies = { initiatorCookie: client.state.initiatorCookie, responderCookie: Buffer.alloc(8, 0x42) };
  return { negotiation, keys, cookies, initiatorSa: built.state, message3: built.bytes };
}

// --- after Phase 1: XAUTH, mode-cfg and Quick Mode with the bundled initiator's functions -------

/** The seed's `auth user` lines (user1/password in group 11, `xauth=on` from the group), plus `extra`. */
export function seedXauthUsers(extra = ''): XauthDirectory {
  const read = readConfig(`auth user 1 user1 password\nauth user group 11 1-3\nauth user group attribute 11 xauth=on\n${extra}`);
  if (read.problems.length > 0) throw new Error(read.problems.map((problem) => problem.text).join('; '));
  return authView(read.model);
}

/** The seed's pool: `ipsec ike mode-cfg address pool 1 10.1.1.110-10.1.1.112/32`. */
export const SEED_POOLS: ReadonlyMap<number, AddressPoolPolicy> = new Map([[1, { poolId: 1, first: '10.1.1.110', last: '10.1.1.112', prefixLength: 32 }]]);

/** The seed's tunnel with its `ipsec sa policy 1 1 esp 3des-cbc sha-hmac`, NAT-T on, payload type 3. */
export function seedTunnelGateway(overrides: Partial<GatewayPolicy> = {}): GatewayPolicy {
  return {
    ...seedGateway({
      payloadType: 3,
      natTraversal: { enabled: true, keepaliveSeconds: 300, force: false },
      saPolicy: { policyId: 1, protocol: 'esp', encryption: '3des-cbc', authentication: 'sha-hmac' },
    }),
    ...overrides,
  };
}

/** A responder with the seed's users and pool; `policy` overrides the rest. */
export function newRemoteAccessResponder(
  gateways: GatewayPolicy[] = [seedTunnelGateway()],
  options: RtxIkeResponderOptions & { syslogDebug?: boolean; policy?: Partial<ResponderPolicy> } = {},
): RtxIkeResponder {
  const policy: ResponderPolicy = {
    gateways,
    syslogDebug: options.syslogDebug ?? false,
    xauthUsers: seedXauthUsers(),
    addressPools: SEED_POOLS,
    ...options.policy,
  };
  return new RtxIkeResponder(policy, { randomBytes: seededRandomBytes('responder'), ...options });
}

/** The seed client's messages all come from here (on the NAT-T port after message 3 when floated). */
export interface ClientLeg {
  readonly from: Endpoint;
  readonly natTraversal: boolean;
}

export const CLIENT_LEG: ClientLeg = { from: CLIENT, natTraversal: false };

/** Opens the single message the responder sent as a Transaction of `sa`. */
export function openSentTransaction(sa: IsakmpSa, effects: readonly ResponderEffect[]): ReceivedTransaction {
  const opened = openTransaction(sa, onlySend(effects).bytes);
  if (!opened.ok) throw new Error(`${opened.failure.kind}: ${opened.failure.text}`);
  return opened.value;
}

export interface ClientFlowOptions {
  readonly credentials?: XauthCredentials;
  readonly xauth?: XauthBehaviour;
  readonly modeCfg?: ModeCfgBehaviour;
  readonly quickMode?: Partial<QuickModeOptions>;
  readonly leg?: ClientLeg;
  readonly now?: number;
  readonly seed?: string;
}

/**
 * A remote-access client made of the initiator's pure functions, driven one step at a time
 * against `responder`: each step returns the responder's effects.
 */
export class ClientFlow {
  sa: IsakmpSa;
  now: number;
  modeCfg: ModeCfgConfig = EMPTY_MODE_CFG_CONFIG;
  readonly leg: ClientLeg;
  private readonly random: (length: number) => Buffer;

  constructor(
    private readonly responder: RtxIkeResponder,
    sa: IsakmpSa,
    private readonly options: ClientFlowOptions = {},
  ) {
    this.sa = sa;
    this.now = options.now ?? T0 + 100;
    this.leg = options.leg ?? CLIENT_LEG;
    this.random = seededRandomBytes(options.seed ?? 'client-flow');
  }

  send(bytes: Buffer, after = 10): ResponderEffect[] {
    this.now += after;
    return this.responder.receive(inbound(bytes, this.leg.from, { natTraversal: this.leg.natTraversal }), this.now);
  }

  /** Answers the responder's XAUTH REQUEST (in `effects`) with the credentials; returns the SET's effects. */
  answerXauthRequest(effects: readonly ResponderEffect[]): { effects: ResponderEffect[]; request: ReceivedTransaction } {
    const request = openSentTransaction(this.sa, effects);
    const answer = answerXauthRequest(request.attributes, this.options.credentials ?? { userName: 'user1', password: 'password' }, this.options.xauth ?? STRONGSWAN_XAUTH);
    if (!answer.ok) throw new Error(answer.text);
    const sealed = answerTransaction(request, answer.reply, ZERO_PADDING);
    this.sa = sealed.sa;
    return { effects: this.send(sealed.bytes), request };
  }

  /** ACKs the XAUTH status SET (in `effects`); returns the effects and the status it carried. */
  acknowledgeStatus(effects: readonly ResponderEffect[]): { effects: ResponderEffect[]; status: 'ok' | 'failed'; set: ReceivedTransaction } {
    const set = openSentTransaction(this.sa, effects);
    const answer = answerXauthStatus(set.attributes, this.options.xauth ?? STRONGSWAN_XAUTH);
    if (!answer.ok) throw new Error(answer.text);
    const sealed = answerTransaction(set, answer.ack, ZERO_PADDING);
    this.sa = sealed.sa;
    return { effects: this.send(sealed.bytes), status: answer.status, set };
  }

  /** Answers the mode-cfg SET (in `effects`) the way the behaviour does; returns the effects. */
  answerModeCfgSet(effects: readonly ResponderEffect[]): { effects: ResponderEffect[]; set: ReceivedTransaction } {
    const set = openSentTransaction(this.sa, effects);
    const answer = answerModeCfgSet(set.attributes, this.modeCfg, this.options.modeCfg ?? STRONGSWAN_PUSH_MODE_CFG);
    if (answer.kind === 'reject') throw new Error(`the client rejects the SET with notify ${answer.notifyType}`);
    if (answer.kind === 'ack') this.modeCfg = answer.config;
    const sealed = answerTransaction(set, answer.kind === 'ack' ? answer.ack : answer.reply, ZERO_PADDING);
    this.sa = sealed.sa;
    return { effects: this.send(sealed.bytes), set };
  }

  /** A pull client's REQUEST in a new exchange; returns the effects. */
  sendModeCfgRequest(pull: ModeCfgPull, messageId: number): ResponderEffect[] {
    const sealed = sealTransaction(this.sa, messageId, modeCfgRequest(pull), ZERO_PADDING);
    this.sa = sealed.sa;
    return this.send(sealed.bytes);
  }

  /** XAUTH and the mode-cfg push, from the REQUEST in `message3Effects`. */
  loginAndConfigure(message3Effects: readonly ResponderEffect[]): { setEffects: ResponderEffect[]; pushEffects: ResponderEffect[]; doneEffects: ResponderEffect[] } {
    const { effects: setEffects } = this.answerXauthRequest(message3Effects);
    const { effects: pushEffects } = this.acknowledgeStatus(setEffects);
    const { effects: doneEffects } = this.answerModeCfgSet(pushEffects);
    return { setEffects, pushEffects, doneEffects };
  }

  /** Quick Mode message 1; returns its state and the responder's effects (message 2 among them). */
  quickMode1(overrides: Partial<QuickModeOptions> = {}, messageId = 0x51c0de00 + Math.floor(this.random(1)[0]! / 2)): { state: QuickMode1State; effects: ResponderEffect[]; bytes: Buffer } {
    const options: QuickModeOptions = {
      proposals: [{ encryption: '3des-cbc', integrity: 'hmac-sha1-96' }],
      localId: { kind: 'mode-cfg-address' },
      remoteId: { kind: 'ipv4-subnet', address: '10.1.1.0', netmask: '255.255.255.0' },
      lifeSeconds: 1200,
      ...this.options.quickMode,
      ...overrides,
    };
    const resolved = resolveQuickModeRequest(options, this.sa, this.modeCfg.address);
    if (!resolved.ok) throw new Error(resolved.text);
    const built = buildQuickMode1(this.sa, resolved.request, {
      messageId,
      spi: Buffer.concat([Buffer.of(0xc0), this.random(3)]),
      nonce: this.random(resolved.request.nonceLength),
      ...(resolved.request.pfsGroup === undefined ? {} : { dhPrivateKey: this.random(32) }),
    });
    return { state: built.state, effects: this.send(built.bytes), bytes: built.bytes };
  }

  /** Checks message 2 (in `effects`) and sends HASH(3); returns the ESP SAs and the responder's effects. */
  quickMode3(state: QuickMode1State, effects: readonly ResponderEffect[]): { espSas: EspSaPair; effects: ResponderEffect[] } {
    const processed = processQuickMode2(state, onlySend(effects).bytes);
    if (!processed.ok) throw new Error(`${processed.failure.kind}: ${processed.failure.text}`);
    const built = buildQuickMode3(processed.state);
    this.sa = built.sa;
    return { espSas: built.espSas, effects: this.send(built.bytes) };
  }

  /** Both Quick Mode round trips. */
  quickMode(overrides: Partial<QuickModeOptions> = {}, messageId?: number): { espSas: EspSaPair; message2Effects: ResponderEffect[]; effects: ResponderEffect[] } {
    const first = messageId === undefined ? this.quickMode1(overrides) : this.quickMode1(overrides, messageId);
    const third = this.quickMode3(first.state, first.effects);
    return { espSas: third.espSas, message2Effects: first.effects, effects: third.effects };
  }

  /** A protected Informational from the client (Delete, DPD...). */
  informational(items: Parameters<typeof buildInformational>[1], messageId = 0x1f00 + Math.floor(this.random(1)[0]!)): ResponderEffect[] {
    return this.send(buildInformational(this.sa, items, messageId).bytes);
  }
}

/**
 * Phase 1 with the seed client (message 3 encrypted, payload type 3) then XAUTH and the mode-cfg
 * push: the client ready for Quick Mode.
 */
export function connectSeedClient(
  responder: RtxIkeResponder,
  options: ClientFlowOptions & { client?: Partial<InitiatorOptions>; message3?: Aggressive3Options } = {},
): { flow: ClientFlow; message3Effects: ResponderEffect[]; steps: ReturnType<ClientFlow['loginAndConfigure']> } {
  const now = options.now ?? T0;
  const established = establish(responder, {
    ...(options.client ? { client: options.client } : {}),
    message3: options.message3 ?? { encrypt: true },
    now,
    ...(options.leg ? { from: options.leg.from } : {}),
  });
  const flow = new ClientFlow(responder, established.sa, { ...options, now: now + 100 });
  const steps = flow.loginAndConfigure(established.effects);
  return { flow, message3Effects: established.effects, steps };
}

/** What an exchange machine after Phase 1 needs, from `phase1Pair`: keys and the Phase 1 chains. */
export function establishedPair(message3: Aggressive3Options = { encrypt: true }, clientOverrides: Partial<InitiatorOptions> = {}) {
  const pair = phase1Pair(message3, clientOverrides);
  const keys: EstablishedKeys = { cookies: pair.cookies, protection: pair.keys, skeyidD: pair.negotiation.keys.skeyidD };
  // The responder's chains equal the client's after message 3 (both moved past it when encrypted).
  const ivChains: IvChains = { ...pair.initiatorSa.ivChains, exchanges: new Map() };
  return { ...pair, established: keys, ivChains };
}

/** Decodes bytes the client built, as the responder's dispatcher would. */
export function decoded(bytes: Buffer): DecodedMessage {
  const message = decodeMessage(bytes);
  if (!message.ok) throw new Error(message.error.text);
  return message.value;
}

export const NO_DEBUG = { syslogDebug: false, log: NO_IKE_LOG } as const;
export const PATH_TO_CLIENT = { to: CLIENT, from: ROUTER, natTraversal: false } as const;

/**
 * Starts an xstate actor that emits `{type: 'effect'}` and returns it with a drain of its effects
 * (`take`: what the router performs: sends, log lines, SAs) and one of its observer events
 * (`takeEvents`: `ike-message` and the like, checked by their own tests).
 */
export function startCollecting<A extends { on(type: '*', handler: (emitted: { type: 'effect'; effect: ResponderEffect }) => void): unknown; start(): unknown }>(actor: A) {
  const effects: ResponderEffect[] = [];
  const events: ResponderEvent[] = [];
  actor.on('*', (emitted) => (emitted.effect.kind === 'event' ? events.push(emitted.effect.event) : effects.push(emitted.effect)));
  actor.start();
  return { actor, take: () => effects.splice(0), takeEvents: () => events.splice(0) };
}
