/**
 * Phase 1 as the router starts it, with the exchange mode as a parameter: each mode is a
 * `begin` (the first message) and a `receive` (a reply in, the next step out) over the shared
 * initiator-role builders of src/ike/initiator. Aggressive Mode is here; Main Mode joins as
 * another member of `Phase1Progress` with its own pair of functions.
 */
import type { Identity } from '../ike/codec/index.js';
import type { VendorIdName } from '../ike/constants.js';
import { dhGroup } from '../ike/crypto/index.js';
import { buildAggressive1, buildAggressive3, processAggressive2, type Aggressive1State } from '../ike/initiator/aggressive-mode.js';
import type { EndpointPair } from '../ike/initiator/endpoints.js';
import type { IsakmpSa } from '../ike/initiator/isakmp-sa.js';
import type { InitiatorOptions, NatTraversalMode } from '../ike/initiator/options.js';
import { configuredCipher, configuredGroup, configuredHash } from '../ike-responder/proposal.js';
import { preSharedKeyBytes, type GatewayPolicy } from '../ike-responder/policy.js';
import type { Endpoint } from '../ike-responder/port.js';
import type { InitiatingExchange } from './initiating-policy.js';

/** The router's two sockets and the peer's two ports: every path a Phase 1 may take. */
export interface Phase1Paths {
  /** Router IKE socket -> peer IKE port: messages 1 and 2. */
  readonly isakmp: EndpointPair;
  /** Router NAT-T socket -> peer NAT-T port: where message 3 and later go once NAT-T floats. */
  readonly natTraversal: EndpointPair;
}

/** A Phase 1 waiting for the peer's next message; one member per exchange mode. */
export type Phase1Progress = { readonly mode: 'aggressive'; readonly state: Aggressive1State };

/** A message to send, and on which path. */
export interface OutgoingMessage {
  readonly bytes: Buffer;
  readonly path: 'isakmp' | 'nat-t';
}

/** Why a Phase 1 failed, in the words the log uses. */
export type Phase1FailureKind = 'hash-mismatch' | 'no-proposal-chosen' | 'refused' | 'malformed';

export type Phase1Step =
  /** Not ours after all (another exchange's cookies): drop it, keep waiting. */
  | { readonly kind: 'ignored'; readonly text: string }
  /** Main Mode's middle messages: send and wait again. */
  | { readonly kind: 'continue'; readonly progress: Phase1Progress; readonly send: OutgoingMessage }
  /** The ISAKMP SA exists; `send` is the last message (Aggressive Mode's message 3). */
  | { readonly kind: 'established'; readonly sa: IsakmpSa; readonly send?: OutgoingMessage }
  | { readonly kind: 'failed'; readonly failure: Phase1FailureKind; readonly text: string };

export interface Phase1Randomness {
  readonly initiatorCookie: Buffer;
  readonly nonce: Buffer;
  readonly dhPrivateKey: Buffer;
}

const NONCE_LENGTH = 16;

/** The random values one Phase 1 needs, from the router's random source. */
export function drawPhase1Randomness(gateway: GatewayPolicy, random: (length: number) => Buffer): Phase1Randomness {
  let initiatorCookie = random(8);
  while (initiatorCookie.every((byte) => byte === 0)) initiatorCookie = random(8);
  return { initiatorCookie, nonce: random(NONCE_LENGTH), dhPrivateKey: random(dhGroup(configuredGroup(gateway.group)).privateExponentLength) };
}

/** The first message of the gateway's Phase 1 and what its answer is checked against. */
export function beginPhase1(
  exchange: InitiatingExchange,
  gateway: GatewayPolicy,
  randomness: Phase1Randomness,
): { readonly progress: Phase1Progress; readonly send: OutgoingMessage } {
  switch (exchange.mode) {
    case 'aggressive': {
      const built = buildAggressive1(aggressiveOptions(gateway, exchange.localName), randomness);
      return { progress: { mode: 'aggressive', state: built.state }, send: { bytes: built.bytes, path: 'isakmp' } };
    }
    case 'main':
      throw new RangeError('Main Mode initiation is not built yet');
  }
}

/** The peer's reply to the Phase 1 in progress. */
export function receivePhase1(progress: Phase1Progress, bytes: Buffer, paths: Phase1Paths): Phase1Step {
  switch (progress.mode) {
    case 'aggressive':
      return receiveAggressive2(progress.state, bytes, paths);
  }
}

function receiveAggressive2(state: Aggressive1State, bytes: Buffer, paths: Phase1Paths): Phase1Step {
  const result = processAggressive2(state, bytes, paths.isakmp);
  if (!result.ok) {
    const { failure } = result;
    switch (failure.kind) {
      case 'foreign-message':
        return { kind: 'ignored', text: failure.text };
      case 'hash-r-mismatch':
        return { kind: 'failed', failure: 'hash-mismatch', text: failure.text };
      case 'notify-received':
        return { kind: 'failed', failure: failure.notifies.some((notify) => notify.name === 'NO-PROPOSAL-CHOSEN') ? 'no-proposal-chosen' : 'refused', text: failure.text };
      case 'proposal-not-offered':
        return { kind: 'failed', failure: 'no-proposal-chosen', text: failure.text };
      default:
        return { kind: 'failed', failure: 'malformed', text: failure.text };
    }
  }
  // RFC 3947 §4: the initiator moves to the NAT-T port with message 3 once it floats.
  const floated = result.state.natTraversal.floated;
  const built = buildAggressive3(result.state, state.options.message3, floated ? paths.natTraversal : paths.isakmp);
  return { kind: 'established', sa: built.state, send: { bytes: built.bytes, path: floated ? 'nat-t' : 'isakmp' } };
}

/**
 * The gateway's settings as Aggressive Mode message 1 carries them: one transform (the RTX
 * proposes its configured suite, §15.6-15.8), PSK authentication, the ISAKMP SA lifetime, IDii
 * from `ipsec ike local name`. Message 3 goes in clear under payload types 1 and 2 and encrypted
 * under type 3: the responder side's rule (rtx-behaviour.md §1) applied to the sender (INFERRED).
 */
function aggressiveOptions(gateway: GatewayPolicy, localName: string): InitiatorOptions {
  const key = preSharedKeyBytes(gateway.preSharedKey);
  if (key === undefined) throw new RangeError(`gateway ${gateway.gatewayId} has no pre-shared key`);
  return {
    identity: localNameIdentity(localName),
    preSharedKey: key,
    proposals: [
      {
        encryption: configuredCipher(gateway.encryption),
        hash: configuredHash(gateway.hash) ?? 'sha1',
        group: configuredGroup(gateway.group),
        authMethod: 'pre-shared-key',
        lifeSeconds: gateway.isakmpLifetimeSeconds,
      },
    ],
    vendorIds: natTraversalVendorIds(gateway),
    natTraversal: natTraversalMode(gateway),
    nonceLength: NONCE_LENGTH,
    message3: { encrypt: gateway.payloadType === 3 },
  };
}

/** The name goes as a KEY_ID: the responder compares the string only (§15.14); the RTX's own ID type is NOT FOUND. */
function localNameIdentity(localName: string): Identity {
  return { kind: 'key-id', keyId: Buffer.from(localName, 'utf8') };
}

function natTraversalMode(gateway: GatewayPolicy): NatTraversalMode {
  if (!gateway.natTraversal.enabled) return 'off';
  return gateway.natTraversal.force ? 'force' : 'on';
}

function natTraversalVendorIds(gateway: GatewayPolicy): VendorIdName[] {
  return gateway.natTraversal.enabled ? ['NAT_T_RFC3947', 'NAT_T_DRAFT_02_N'] : [];
}

/** The peer's endpoint on a path. */
export function peerEndpoint(paths: Phase1Paths, path: OutgoingMessage['path']): Endpoint {
  return path === 'nat-t' ? paths.natTraversal.remote : paths.isakmp.remote;
}
