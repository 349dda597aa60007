/**
 * Shared pieces of the responder tests: the seed write-up's gateway as a policy, the lab's
 * addresses, deterministic randomness, and the bundled initiator's pure functions to talk to the
 * responder (no second initiator here; malformed cases are built with the codec).
 */
import { createHash } from 'node:crypto';
import {
  buildAggressive1,
  buildAggressive3,
  processAggressive2,
  SEED_PROPOSAL,
  type Aggressive1State,
  type Aggressive2State,
  type Aggressive3Options,
  type InitiatorOptions,
} from '../../src/initiator/index.js';
import type { Endpoint, InboundDatagram, ResponderEffect } from '../../src/ike-responder/port.js';
import { gatewayPolicy, type GatewayPolicy, type ResponderPolicy } from '../../src/ike-responder/policy.js';
import { RtxIkeResponder, type RtxIkeResponderOptions } from '../../src/ike-responder/responder.js';
import { dhGroup } from '../../src/ike/crypto/index.js';
import { decodeMessage } from '../../src/ike/codec/index.js';
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
  options: { client?: Partial<InitiatorOptions>; now?: number; allowHashRMismatch?: boolean } = {},
): { aggressive2: Aggressive2State; message1: Buffer; effects: ResponderEffect[] } {
  const { bytes, state } = clientMessage1(options.client);
  const effects = responder.receive(inbound(bytes), options.now ?? T0);
  const message2 = onlySend(effects);
  const processed = processAggressive2(state, message2.bytes, { local: CLIENT, remote: ROUTER });
  if (processed.ok) return { aggressive2: processed.state, message1: bytes, effects };
  if (options.allowHashRMismatch && processed.failure.kind === 'hash-r-mismatch') {
    return { aggressive2: processed.failure.unverified, message1: bytes, effects };
  }
  throw new Error(`message 2 refused by the initiator: ${processed.failure.text}`);
}

/** Messages 1, 2 and 3: the SA established on both sides (message 3 in clear unless told otherwise). */
export function establish(
  responder: RtxIkeResponder,
  options: { client?: Partial<InitiatorOptions>; message3?: Aggressive3Options; now?: number } = {},
) {
  const { aggressive2 } = exchange12(responder, options);
  const message3 = buildAggressive3(aggressive2, options.message3 ?? { encrypt: false });
  const effects = responder.receive(inbound(message3.bytes), (options.now ?? T0) + 100);
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
