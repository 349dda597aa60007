/**
 * Phase 1 as the router starts it, with the exchange mode as a parameter: each mode is a
 * `begin` (the first message) and a `receive` (a reply in, the next step out) over the shared
 * initiator-role builders of src/ike/initiator. Aggressive Mode finishes in one round trip;
 * Main Mode takes three (messages 1/2, 3/4, 5/6), each a member of `Phase1Progress`.
 */
import { isIPv6 } from 'node:net';
import type { Identity } from '../ike/codec/index.js';
import type { VendorIdName } from '../ike/constants.js';
import { dhGroup } from '../ike/crypto/index.js';
import { buildAggressive1, buildAggressive3, processAggressive2, type Aggressive1State, type Aggressive2Failure } from '../ike/initiator/aggressive-mode.js';
import type { EndpointPair } from '../ike/initiator/endpoints.js';
import {
  buildMainMode1,
  buildMainMode3,
  buildMainMode5,
  processMainMode2,
  processMainMode4,
  processMainMode6,
  type MainMode1State,
  type MainMode3State,
  type MainMode5State,
  type MainModeReplyFailure,
} from '../ike/initiator/main-mode.js';
import type { IsakmpSa } from '../ike/initiator/isakmp-sa.js';
import type { InitiatorOptions, NatTraversalMode } from '../ike/initiator/options.js';
import { configuredCipher, configuredGroup, configuredHash } from '../ike-responder/proposal.js';
import { preSharedKeyBytes, usesDpd, type GatewayPolicy } from '../ike-responder/policy.js';
import type { Endpoint } from '../ike-responder/port.js';
import type { InitiatingExchange } from './initiating-policy.js';

/** The router's two sockets and the peer's two ports: every path a Phase 1 may take. */
export interface Phase1Paths {
  /** Router IKE socket -> peer IKE port: messages 1 and 2. */
  readonly isakmp: EndpointPair;
  /** Router NAT-T socket -> peer NAT-T port: where message 3 and later go once NAT-T floats. */
  readonly natTraversal: EndpointPair;
}

/** A Phase 1 waiting for the peer's next message; one member per message awaited. */
export type Phase1Progress =
  | { readonly mode: 'aggressive'; readonly state: Aggressive1State }
  | { readonly mode: 'main'; readonly awaiting: 2; readonly state: MainMode1State }
  | { readonly mode: 'main'; readonly awaiting: 4; readonly state: MainMode3State }
  | { readonly mode: 'main'; readonly awaiting: 6; readonly state: MainMode5State };

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

/**
 * The first message of the gateway's Phase 1 and what its answer is checked against.
 * `localAddress` is the router's address toward the peer: Main Mode's IDii.
 */
export function beginPhase1(
  exchange: InitiatingExchange,
  gateway: GatewayPolicy,
  randomness: Phase1Randomness,
  localAddress: string,
): { readonly progress: Phase1Progress; readonly send: OutgoingMessage } {
  switch (exchange.mode) {
    case 'aggressive': {
      const built = buildAggressive1(phase1Options(gateway, localNameIdentity(exchange.localName)), randomness);
      return { progress: { mode: 'aggressive', state: built.state }, send: { bytes: built.bytes, path: 'isakmp' } };
    }
    case 'main': {
      const built = buildMainMode1(phase1Options(gateway, addressIdentity(gateway.localAddress ?? localAddress)), randomness);
      return { progress: { mode: 'main', awaiting: 2, state: built.state }, send: { bytes: built.bytes, path: 'isakmp' } };
    }
  }
}

/** The initiator cookie of the Phase 1 in progress: its replies carry it. */
export function phase1InitiatorCookie(progress: Phase1Progress): Buffer {
  if (progress.mode === 'aggressive') return progress.state.initiatorCookie;
  switch (progress.awaiting) {
    case 2:
      return progress.state.initiatorCookie;
    case 4:
      return progress.state.mainMode2.mainMode1.initiatorCookie;
    case 6:
      return progress.state.mainMode4.mainMode3.mainMode2.mainMode1.initiatorCookie;
  }
}

/** The peer's reply to the Phase 1 in progress. */
export function receivePhase1(progress: Phase1Progress, bytes: Buffer, paths: Phase1Paths): Phase1Step {
  if (progress.mode === 'aggressive') return receiveAggressive2(progress.state, bytes, paths);
  switch (progress.awaiting) {
    case 2: {
      const result = processMainMode2(progress.state, bytes);
      if (!result.ok) return replyFailure(result.failure);
      // Message 3 goes where messages 1 and 2 went: NAT-T floats only with message 5 (RFC 3947 §4).
      const built = buildMainMode3(result.state, paths.isakmp);
      return { kind: 'continue', progress: { mode: 'main', awaiting: 4, state: built.state }, send: { bytes: built.bytes, path: 'isakmp' } };
    }
    case 4: {
      const result = processMainMode4(progress.state, bytes);
      if (!result.ok) return replyFailure(result.failure);
      const built = buildMainMode5(result.state, progress.state.mainMode2.mainMode1.options.message3);
      const path = result.state.natTraversal.floated ? 'nat-t' : 'isakmp';
      return { kind: 'continue', progress: { mode: 'main', awaiting: 6, state: built.state }, send: { bytes: built.bytes, path } };
    }
    case 6: {
      const result = processMainMode6(progress.state, bytes);
      if (!result.ok) return replyFailure(result.failure);
      return { kind: 'established', sa: result.state };
    }
  }
}

/** A reply that is no step forward, in the words of `Phase1Step` (both modes' failures share their kinds). */
function replyFailure(failure: Aggressive2Failure | MainModeReplyFailure): Phase1Step {
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

function receiveAggressive2(state: Aggressive1State, bytes: Buffer, paths: Phase1Paths): Phase1Step {
  const result = processAggressive2(state, bytes, paths.isakmp);
  if (!result.ok) return replyFailure(result.failure);
  // RFC 3947 §4: the initiator moves to the NAT-T port with message 3 once it floats.
  const floated = result.state.natTraversal.floated;
  const built = buildAggressive3(result.state, state.options.message3, floated ? paths.natTraversal : paths.isakmp);
  return { kind: 'established', sa: built.state, send: { bytes: built.bytes, path: floated ? 'nat-t' : 'isakmp' } };
}

/**
 * The gateway's settings as message 1 carries them: one transform (the RTX proposes its
 * configured suite, §15.6-15.8), PSK authentication, the ISAKMP SA lifetime, and our ID
 * (Aggressive Mode: `ipsec ike local name`; Main Mode: our address). Aggressive Mode's message 3
 * goes in clear under payload types 1 and 2 and encrypted under type 3: the responder side's
 * rule (rtx-behaviour.md §1) applied to the sender (INFERRED); Main Mode always encrypts message 5.
 */
function phase1Options(gateway: GatewayPolicy, identity: Identity): InitiatorOptions {
  const key = preSharedKeyBytes(gateway.preSharedKey);
  if (key === undefined) throw new RangeError(`gateway ${gateway.gatewayId} has no pre-shared key`);
  return {
    identity,
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
    // DPD is announced when the gateway's keepalive uses it, as the responder side does (§15.21).
    vendorIds: [...natTraversalVendorIds(gateway), ...(usesDpd(gateway) ? (['DPD'] as const) : [])],
    natTraversal: natTraversalMode(gateway),
    nonceLength: NONCE_LENGTH,
    message3: { encrypt: gateway.payloadType === 3 },
  };
}

/** The name goes as a KEY_ID: the responder compares the string only (§15.14); the RTX's own ID type is NOT FOUND. */
function localNameIdentity(localName: string): Identity {
  return { kind: 'key-id', keyId: Buffer.from(localName, 'utf8') };
}

/**
 * Main Mode with a pre-shared key identifies by address (RFC 2409 §5.4: the key is chosen by the
 * peer's address before IDs are exchanged); the RTX's own IDii type is NOT FOUND, and an address
 * ID is what it answers with as responder (aggressive1.ts, main-mode-steps.ts).
 */
function addressIdentity(address: string): Identity {
  return isIPv6(address) ? { kind: 'ipv6-address', address } : { kind: 'ipv4-address', address };
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
